package se.kompetensmal.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles a route needs, and where. {@link AccessBeforeBinding} checks it before the request's body is read into
 * arguments, so that someone without the right gets the refusal whatever they send: never a validation message, a
 * re-rendered form or anything else about the node.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Needs {

    /** Any of these roles will do. */
    Role[] value();

    /** Where the role must be held. */
    On on() default On.NODE;

    /** The path variable that names the node, person or routine. */
    String variable() default "id";

    enum On {
        /** On the organisational node the path variable names, or above it. */
        NODE,
        /** On the node where the person the path variable names is placed, or above it. */
        PERSON,
        /** On the node where the routine the path variable names is set up, or above it. */
        ROUTINE,
        /** Somewhere: the node is in the body, which is checked again once read. */
        ANYWHERE,
        /** System-wide. */
        SYSTEM
    }
}

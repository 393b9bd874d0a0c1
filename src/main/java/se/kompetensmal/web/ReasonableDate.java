package se.kompetensmal.web;

import io.micronaut.core.annotation.AnnotationValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.validation.validator.constraints.ConstraintValidator;
import io.micronaut.validation.validator.constraints.ConstraintValidatorContext;
import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import se.kompetensmal.SwedishTime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.LocalDate;

/**
 * A date a person could mean: from 1900 to ten years ahead. Further out the database cannot store it (year 100000) or
 * it is a slip of the keyboard.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Constraint(validatedBy = {})
public @interface ReasonableDate {

    String message() default "ska vara ett datum från 1900-01-01 till tio år framåt";

    Class<?>[] groups() default {};

    Class<?>[] payload() default {};

    /** Checks the bounds; a missing date is left to {@code @NotNull}. */
    @Singleton
    class Validator implements ConstraintValidator<ReasonableDate, LocalDate> {

        static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

        @Override
        public boolean isValid(@Nullable LocalDate value, AnnotationValue<ReasonableDate> annotation,
                               ConstraintValidatorContext context) {
            return value == null || !value.isBefore(EARLIEST) && !value.isAfter(LocalDate.now(SwedishTime.ZONE).plusYears(10));
        }
    }
}

package se.kompetensmal.security;

import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;

import java.util.List;

/**
 * Checks a route's {@link Needs} right after sign-in is known and before any argument is bound: a body that cannot be
 * bound or validated would otherwise be answered (400, 422, a re-rendered form) to anyone, telling them about a node that
 * is not theirs.
 */
// Only requests that carry a body to bind: a GET binds no body, and running this on the blocking pool for every page
// view cost each request a thread hop. GET handlers check their rights themselves (also the outbox's, under @Needs).
@ServerFilter(value = ServerFilter.MATCH_ALL_PATTERN, methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
public class AccessBeforeBinding implements Ordered {

    private final Access access;
    private final RemitNodes remit;

    public AccessBeforeBinding(Access access, RemitNodes remit) {
        this.access = access;
        this.remit = remit;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void check(HttpRequest<?> request) {
        RouteMatch<?> match = RouteAttributes.getRouteMatch(request).orElse(null);
        if (match == null) {
            return;
        }
        AnnotationMetadata metadata = match.getAnnotationMetadata();
        if (!metadata.hasAnnotation(Needs.class)) {
            return;
        }
        Authentication caller = request.getUserPrincipal(Authentication.class).orElse(null);
        if (caller == null) {
            // The security rules decided this route is open; it names no role then.
            return;
        }
        Role[] roles = metadata.enumValues(Needs.class, Role.class);
        Needs.On on = metadata.enumValue(Needs.class, "on", Needs.On.class).orElse(Needs.On.NODE);
        switch (on) {
            case SYSTEM -> access.requireSystemWide(caller, roles);
            case ANYWHERE -> access.requireAnywhere(caller, roles);
            default -> {
                long id = id(match, metadata.stringValue(Needs.class, "variable").orElse("id"));
                long node = switch (on) {
                    case PERSON -> personNode(caller, id, roles);
                    case ROUTINE -> remit.ofRoutine(id).orElseThrow(Access::notFound);
                    default -> id;
                };
                access.requireOn(caller, node, roles);
            }
        }
    }

    /** The placement of the person where the caller holds a role, else their home (which then answers the refusal). */
    private long personNode(Authentication caller, long personId, Role[] roles) {
        List<Long> units = remit.ofPerson(personId);
        if (units.isEmpty()) {
            throw Access.notFound();
        }
        return units.stream().filter(unit -> access.holdsOn(caller, unit, roles)).findFirst().orElse(units.get(0));
    }

    private static long id(RouteMatch<?> match, String variable) {
        Object value = match instanceof UriRouteMatch<?, ?> uri ? uri.getVariableValues().get(variable) : null;
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw Access.notFound();
        }
    }
}

package se.kompetensmal.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

/**
 * /health answers everyone with UP or DOWN (load balancers need no sign-in), but its details name the database, its
 * user and server version and the disk: those only for system-wide administrators.
 */
@ServerFilter({"/health", "/health/**"})
public class HealthDetails {

    private final Access access;

    public HealthDetails(Access access) {
        this.access = access;
    }

    @ResponseFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void statusOnly(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!(response.getBody().orElse(null) instanceof HealthResult result)) {
            return;
        }
        Authentication caller = request.getUserPrincipal(Authentication.class).orElse(null);
        if (caller == null || !access.holdsSystemWide(caller, Role.ADMINISTRATOR)) {
            response.body(HealthResult.builder(result.getName(), result.getStatus()).build());
        }
    }
}

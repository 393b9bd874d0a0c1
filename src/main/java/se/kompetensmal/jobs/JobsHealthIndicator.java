package se.kompetensmal.jobs;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows in /health (details for system-wide administrators) each kind of background work across all instances: who
 * holds it, its last heartbeat, success and failure, and what waits. The status stays UP when a kind struggles, as every
 * instance reads the same table and a load balancer would otherwise take all of them out at once; what struggles is
 * named under {@code problems}: a kind failing three runs in a row, or work waiting longer than
 * {@link #LONG_WAIT}.
 */
@Singleton
public class JobsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    static final Duration LONG_WAIT = Duration.ofMinutes(30);

    private final Jobs jobs;

    public JobsHealthIndicator(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Instant now = Instant.now();
        details.put("instance", jobs.instanceName());
        for (Jobs.KindStatus status : jobs.status()) {
            Map<String, Object> kind = new LinkedHashMap<>();
            kind.put("heldBy", status.heldBy() == null ? "" : status.heldBy());
            put(kind, "lastHeartbeat", status.lastHeartbeat());
            put(kind, "lastSuccess", status.lastSuccess());
            put(kind, "lastFailure", status.lastFailure());
            kind.put("consecutiveFailures", status.consecutiveFailures());
            kind.put("waiting", status.backlog().waiting());
            put(kind, "oldestQueuedAt", status.backlog().oldestQueuedAt());
            details.put(status.kind(), kind);
            if (status.consecutiveFailures() >= 3) {
                problems.add(status.kind() + ": " + status.consecutiveFailures() + " misslyckade körningar i rad");
            }
            Instant oldest = status.backlog().oldestQueuedAt();
            if (oldest != null && Duration.between(oldest, now).compareTo(LONG_WAIT) > 0) {
                problems.add(status.kind() + ": arbete har väntat sedan " + oldest);
            }
        }
        details.put("problems", problems);
        healthStatus = HealthStatus.UP;
        return details;
    }

    private static void put(Map<String, Object> map, String key, Instant value) {
        map.put(key, value == null ? "" : value.toString());
    }

    @Override
    protected String getName() {
        return "jobs";
    }
}

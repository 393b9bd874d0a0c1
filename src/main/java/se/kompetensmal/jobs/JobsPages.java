package se.kompetensmal.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The administrators' view of background work across all instances (/admin/bakgrundsjobb): for each kind, which
 * instance holds it now, when it last succeeded or failed, and what waits. The same figures as /health and the metrics,
 * for an administrator without Prometheus. The whole system's: system-wide administrators only.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/admin/bakgrundsjobb")
@Secured("ADMINISTRATOR")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobsPages {

    private final Jobs jobs;
    private final Access access;

    public JobsPages(Jobs jobs, Access access) {
        this.jobs = jobs;
        this.access = access;
    }

    /** One kind as the page shows it: names and Swedish times, no codes. */
    public record KindRow(String title, String heldBy, String lastSuccess, String lastFailure, int consecutiveFailures,
                          long waiting, String oldestWaiting, boolean troubled) {
    }

    @View("jobs")
    @Get
    public Map<String, Object> show(Authentication caller) {
        access.requireSystemWide(caller, Role.ADMINISTRATOR);
        Instant now = Instant.now();
        List<KindRow> rows = jobs.status().stream().map(s -> new KindRow(jobs.title(s.kind()),
                s.heldBy() == null ? "ingen just nu" : s.heldBy(), orNever(s.lastSuccess()), orNever(s.lastFailure()),
                s.consecutiveFailures(), s.backlog().waiting(), waited(s.backlog().oldestQueuedAt(), now),
                s.consecutiveFailures() >= 3 || (s.backlog().oldestQueuedAt() != null
                        && Duration.between(s.backlog().oldestQueuedAt(), now).compareTo(JobsHealthIndicator.LONG_WAIT) > 0)))
                .sorted(java.util.Comparator.comparing(KindRow::title)).toList();
        return Map.of("title", "Bakgrundsjobb", "instance", jobs.instanceName(), "kinds", rows);
    }

    private static String orNever(@Nullable Instant time) {
        return time == null ? "aldrig" : SwedishTime.format(time);
    }

    /** "sedan 10:42 (12 min)": when the oldest waiting item was queued and how long ago; empty when nothing waits. */
    private static String waited(@Nullable Instant oldest, Instant now) {
        if (oldest == null) {
            return "";
        }
        long minutes = Math.max(0, Duration.between(oldest, now).toMinutes());
        return SwedishTime.format(oldest) + " (" + (minutes < 1 ? "under en minut" : minutes + " min") + ")";
    }
}

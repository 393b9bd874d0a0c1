package se.kompetensmal.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import org.reactivestreams.Publisher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The Prometheus scrape endpoint ({@code /prometheus}) answers system-wide administrators only, on the service's own
 * port: its figures (queues, failures, the pool, the host) describe the whole service, not one organisation. Anyone
 * else gets 401 without a session or token and 403 with one. Decided before the endpoint's own sensitivity rule, which
 * would let any signed-in user in.
 *
 * <p>Prometheus cannot sign in and renew a session, so it may instead send the scrape token
 * ({@code KOMPETENSMAL_METRICS_TOKEN}, 32+ characters) as {@code Authorization: Bearer ...}; it opens this endpoint and
 * nothing else. Without the setting there is no such token.
 */
@Singleton
public class MetricsAccess implements SecurityRule<HttpRequest<?>> {

    public static final String PATH = "/prometheus";

    private final Access access;
    private final ExecutorService blocking;
    private final byte[] scrapeToken;

    public MetricsAccess(Access access, @Named(TaskExecutors.BLOCKING) ExecutorService blocking,
                         @Value("${kompetensmal.metrics.scrape-token:}") String scrapeToken) {
        this.access = access;
        this.blocking = blocking;
        if (!scrapeToken.isEmpty() && scrapeToken.length() < SharedSecret.MIN_LENGTH) {
            throw new IllegalStateException("KOMPETENSMAL_METRICS_TOKEN är för kort (" + scrapeToken.length()
                    + " tecken): använd minst " + SharedSecret.MIN_LENGTH + " slumpade tecken, eller ta bort inställningen.");
        }
        this.scrapeToken = scrapeToken.isEmpty() ? null : scrapeToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null || !(request.getPath().equals(PATH) || request.getPath().startsWith(PATH + "/"))) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        if (scrapeToken != null && request.getHeaders().getAuthorization()
                .filter(header -> header.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(header -> MessageDigest.isEqual(scrapeToken, header.substring(7).strip().getBytes(StandardCharsets.UTF_8)))
                .orElse(false)) {
            return Publishers.just(SecurityRuleResult.ALLOWED);
        }
        if (authentication == null) {
            return Publishers.just(SecurityRuleResult.REJECTED);
        }
        // Roles are read from the database on every request (Access): off the event loop.
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(
                () -> access.holdsSystemWide(authentication, Role.ADMINISTRATOR)
                        ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED, blocking));
    }

    @Override
    public int getOrder() {
        return SensitiveEndpointRule.ORDER - 1;
    }
}

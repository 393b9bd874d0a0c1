package se.kompetensmal.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that got no database connection in time (every connection of the pool busy for the pool's timeout, or the
 * database unreachable while the driver fails over) is answered 503 with {@code Retry-After}: the service is there and
 * the request may be sent again in a moment, which a 500 ("something is broken") did not say. Pages get the Swedish
 * error page, the API a problem document.
 *
 * <p>Why: in the full-size benchmark (2026-12-03) 64 connections on the follow-up page held all 20 database connections
 * and 161 of 320 requests failed with 500 after waiting 5 s for one.
 */
@Singleton
@Produces
@Requires(classes = CannotGetJdbcConnectionException.class)
public class DatabaseBusy implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBusy.class);
    /** Seconds: about what a burst that filled the pool takes to drain. */
    static final String RETRY_AFTER = "5";

    private final ErrorResponseProcessor<?> processor;

    public DatabaseBusy(ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
        LOG.warn("{} {} answered 503: no database connection in time ({})", request.getMethodName(), request.getPath(),
                exception.getMessage());
        return processor.processResponse(ErrorContext.builder(request).cause(exception).build(),
                HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER));
    }
}

package se.kompetensmal.sql;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * The one way a feature publishes a domain event about what it wrote: once the surrounding transaction has committed (at
 * once outside one). A listener must see what is really saved and nothing of a transaction that is rolled back; a chunk
 * retried after a certification conflict publishes once, when it finally commits.
 */
@Singleton
public class AfterCommit {

    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<Object> events;

    AfterCommit(TransactionOperations<Connection> transactions, ApplicationEventPublisher<Object> events) {
        this.transactions = transactions;
        this.events = events;
    }

    public void publish(Object event) {
        var status = transactions.findTransactionStatus();
        if (status.isEmpty()) {
            events.publishEvent(event);
            return;
        }
        status.get().registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                events.publishEvent(event);
            }
        });
    }
}

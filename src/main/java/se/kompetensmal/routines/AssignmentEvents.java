package se.kompetensmal.routines;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * Publishes {@link AssignmentsChanged} once the surrounding transaction has committed (at once outside one): a listener
 * must see the assignments that are really saved, and nothing of a transaction that is rolled back (a slice retried after
 * a certification conflict publishes once, when it finally commits).
 */
@Singleton
class AssignmentEvents {

    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<AssignmentsChanged> events;

    AssignmentEvents(TransactionOperations<Connection> transactions, ApplicationEventPublisher<AssignmentsChanged> events) {
        this.transactions = transactions;
        this.events = events;
    }

    void afterCommit(AssignmentsChanged event) {
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

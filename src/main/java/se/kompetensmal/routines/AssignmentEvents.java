package se.kompetensmal.routines;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.TransactionSynchronization;
import jakarta.inject.Singleton;

import java.sql.Connection;

/**
 * Publishes {@link AssignmentsChanged} and {@link ExemptionsGranted} once the surrounding transaction has committed (at
 * once outside one): a listener must see the assignments and exemptions that are really saved, and nothing of a
 * transaction that is rolled back (a slice retried after a certification conflict publishes once, when it finally
 * commits).
 */
@Singleton
class AssignmentEvents {

    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<AssignmentsChanged> assignments;
    private final ApplicationEventPublisher<ExemptionsGranted> exemptions;

    AssignmentEvents(TransactionOperations<Connection> transactions, ApplicationEventPublisher<AssignmentsChanged> assignments,
                     ApplicationEventPublisher<ExemptionsGranted> exemptions) {
        this.transactions = transactions;
        this.assignments = assignments;
        this.exemptions = exemptions;
    }

    void afterCommit(AssignmentsChanged event) {
        afterCommit(() -> assignments.publishEvent(event));
    }

    void afterCommit(ExemptionsGranted event) {
        afterCommit(() -> exemptions.publishEvent(event));
    }

    private void afterCommit(Runnable publish) {
        var status = transactions.findTransactionStatus();
        if (status.isEmpty()) {
            publish.run();
            return;
        }
        status.get().registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                publish.run();
            }
        });
    }
}

package se.kompetensmal.demo;

import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import se.kompetensmal.routines.ManualAssignments;

import java.sql.SQLTransactionRollbackException;
import java.time.LocalDate;

/** Assigns a demo module to the demo learner by hand, as the region's coordinator would on the person page. */
@Singleton
class DemoAssignment {

    private final ManualAssignments assignments;

    DemoAssignment(ManualAssignments assignments) {
        this.assignments = assignments;
    }

    void toLearner(long regionId, long learnerPersonId, String moduleCode, LocalDate due, LocalDate today) {
        // The demo's recomputations run in the background meanwhile, and announcing the assignment can meet one of them in a
        // deadlock (seen in DemoDataTest); MariaDB rolled the assignment back whole, so it is simply made again.
        for (int attempt = 1; ; attempt++) {
            try {
                assignments.assignFromPage(new ManualAssignments.Reach(regionId, null, null, learnerPersonId), moduleCode,
                        due, today, "samordnare.region");
                return;
            } catch (DataAccessException e) {
                if (attempt == 5 || !deadlock(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean deadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransactionRollbackException) {
                return true;
            }
        }
        return false;
    }
}

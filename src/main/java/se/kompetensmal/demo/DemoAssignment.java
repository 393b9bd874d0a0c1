package se.kompetensmal.demo;

import jakarta.inject.Singleton;
import se.kompetensmal.routines.ManualAssignments;
import se.kompetensmal.sql.Retried;

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
        Retried.whenRolledBack(5, () -> {
            assignments.assignPerson(learnerPersonId, regionId, moduleCode, due, today, "samordnare.region");
            return null;
        });
    }
}

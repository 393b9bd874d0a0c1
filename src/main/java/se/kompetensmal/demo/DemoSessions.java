package se.kompetensmal.demo;

import jakarta.inject.Singleton;
import se.kompetensmal.catalog.CatalogueStore;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.sessions.Occasions;
import se.kompetensmal.sessions.SessionModules;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * The demo's classroom training: the region's introduction day in patient safety as a session module, assigned by the
 * region's coordinator to the demo learner, with one occasion three weeks ahead held by the demo trainer. Written through
 * the same store, assignment and occasion checks as a coordinator's pages. Not in a routine: a routine for licensed staff
 * below the region would replace the region's introduction routine for them (routines are overridden per audience down
 * the tree), and the learner's overdue introduction with it.
 */
@Singleton
class DemoSessions {

    static final String CODE = "introduktionsdag-patientsakerhet";
    static final String TITLE = "Introduktionsdag patientsäkerhet";

    private final CatalogueStore store;
    private final DemoAssignment assignment;
    private final Occasions occasions;

    DemoSessions(CatalogueStore store, DemoAssignment assignment, Occasions occasions) {
        this.store = store;
        this.assignment = assignment;
        this.occasions = occasions;
    }

    void create(long regionId, long learnerPersonId, long coordinatorAccountId, long trainerAccountId, LocalDate today) {
        store.storeVersion(new CourseContent.Module(CODE, TITLE,
                "En dag med regionens patientsäkerhetsenhet: vårdskador och hur de uppstår, säkerhetskultur, att rapportera"
                        + " avvikelser och att lära av händelseanalyser. Övningar i grupp med fall från regionens egen verksamhet.",
                420, List.of("LICENSED"), List.of("LIC-01", "LIC-06"), 0, List.of(), List.of(), null, List.of()),
                List.of(), SessionModules.SOURCE, regionId, coordinatorAccountId);
        LocalDate day = today.plusWeeks(3);
        occasions.plan(regionId, new Occasions.NewOccasion(CODE, day, LocalTime.of(8, 30), 420,
                "Konferenscentrum Demoland, sal Ljuset", null, trainerAccountId, 24, day.minusDays(7)), coordinatorAccountId);
        // Due two weeks after the occasion: time for a later one if he cannot come.
        assignment.toLearner(regionId, learnerPersonId, CODE, day.plusWeeks(2), today);
    }
}

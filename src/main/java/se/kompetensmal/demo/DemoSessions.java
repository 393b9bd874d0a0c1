package se.kompetensmal.demo;

import jakarta.inject.Singleton;
import se.kompetensmal.catalog.CatalogueStore;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.routines.RoutineService;
import se.kompetensmal.sessions.Occasions;
import se.kompetensmal.sessions.SessionModules;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * The demo's classroom training: the region's introduction day in patient safety as a session module, in a routine for
 * licensed staff of the health-care administration (so it is due for the demo learner), with one occasion three weeks ahead held by the demo trainer.
 * Written through the same store, routine service and occasion checks as a coordinator's pages.
 */
@Singleton
class DemoSessions {

    static final String CODE = "introduktionsdag-patientsakerhet";
    static final String TITLE = "Introduktionsdag patientsäkerhet";

    private final CatalogueStore store;
    private final RoutineService routines;
    private final Occasions occasions;

    DemoSessions(CatalogueStore store, RoutineService routines, Occasions occasions) {
        this.store = store;
        this.routines = routines;
        this.occasions = occasions;
    }

    /**
     * The module is the region's; the routine is the health-care administration's (the region already has its
     * introduction routine for licensed staff, and there is one per audience and level), which the learner belongs to.
     */
    void create(long regionId, long administrationId, long coordinatorAccountId, long trainerAccountId, LocalDate today) {
        store.storeVersion(new CourseContent.Module(CODE, TITLE,
                "En dag med regionens patientsäkerhetsenhet: vårdskador och hur de uppstår, säkerhetskultur, att rapportera"
                        + " avvikelser och att lära av händelseanalyser. Övningar i grupp med fall från regionens egen verksamhet.",
                420, List.of("LICENSED"), List.of("LIC-01", "LIC-06"), 0, List.of(), List.of(), null, List.of()),
                List.of(), SessionModules.SOURCE, regionId, coordinatorAccountId);
        // Decided today: new licensed staff attend within 90 days of starting in the role, everyone already employed
        // within three months; so the demo learner has it due, and nobody is overdue yet.
        routines.create(administrationId, new RoutineForm("Introduktionsdag i patientsäkerhet för legitimerad personal",
                RoutineKind.INTRODUCTION, "LICENSED", List.of(CODE), 90, CountsFrom.ROLE_START, today, today.plusMonths(3),
                null, null, null, DocumentationLevel.DOCUMENTED, "Rutin för introduktionsdag, HSF " + today.getYear() + "/52",
                null, null), "demodata");
        LocalDate day = today.plusWeeks(3);
        occasions.plan(regionId, new Occasions.NewOccasion(CODE, day, LocalTime.of(8, 30), 420,
                "Konferenscentrum Demoland, sal Ljuset", null, trainerAccountId, 24, day.minusDays(7)), coordinatorAccountId);
    }
}

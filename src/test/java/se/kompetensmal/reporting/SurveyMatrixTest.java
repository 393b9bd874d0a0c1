package se.kompetensmal.reporting;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socialstyrelsen's 2024 survey asked the 21 regions whether they have introduction and continuing-education routines in
 * patient safety per audience, and whether the routine is documented in the management system. The survey publishes only
 * shares; {@code survey/regions-2024.csv} allocates them over the regions. Set up the way coordinators would, the routine
 * matrix at a national node above the regions must give back the published table.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SurveyMatrixTest extends ServiceTest {

    static final String CSV = "/survey/regions-2024.csv";
    static final int REGIONS = 21;

    /** Share of regions answering yes, in percent, as the survey publishes it: introduction, continuing education. */
    record Published(int introduction, int continuing) {
    }

    static final Map<String, Published> ANSWERING_YES = Map.of(
            "LICENSED", new Published(81, 43),
            "FRONTLINE_MANAGER", new Published(76, 38),
            "PATIENT_SAFETY_FUNCTION", new Published(76, 48),
            "NON_LICENSED", new Published(48, 43),
            // The survey asks about "politicians, strategic-level managers and others" as one group.
            "POLITICIAN", new Published(14, 10),
            "STRATEGIC_LEADER", new Published(14, 10),
            "LOCAL_SUPPORT", new Published(14, 14),
            "CENTRAL_SUPPORT", new Published(5, 5));

    /** Share of all regions with a documented routine in the management system, where the survey publishes one. */
    static final Map<String, Integer> MANAGEMENT_SYSTEM_INTRODUCTION = Map.of(
            "LICENSED", 14,
            "FRONTLINE_MANAGER", 19);
    // Not asked for NON_LICENSED introduction, and not asked for the other audiences at all.
    static final Map<String, Integer> MANAGEMENT_SYSTEM_CONTINUING = Map.of(
            "LICENSED", 24,
            "FRONTLINE_MANAGER", 10,
            "NON_LICENSED", 10);

    /** One line of the allocation: this region has this routine, documented to this level. */
    record Answer(String region, String regionName, String audience, RoutineKind kind, DocumentationLevel documentation) {
    }

    @Inject
    RoutineMatrix matrix;

    List<Answer> answers;
    long national;
    final Map<String, Long> regionIds = new LinkedHashMap<>();
    final Map<String, Long> unitIds = new LinkedHashMap<>();

    @BeforeAll
    void theRegionsUnderANationalNodeSetUpTheirRoutines() {
        answers = readAllocation();
        String p = "SURV" + System.nanoTime();
        national = tree.add(p, "Sverige", OrgNodeKind.NATIONAL, null).id();
        Map<String, String> regions = answers.stream()
                .collect(Collectors.toMap(Answer::region, Answer::regionName, (a, b) -> a, LinkedHashMap::new));
        Map<String, String> coordinators = new LinkedHashMap<>();
        regions.forEach((code, name) -> {
            long region = tree.add(p + "-" + code, name, OrgNodeKind.REGION, national).id();
            regionIds.put(code, region);
            unitIds.put(code, tree.add(p + "-" + code + "-1", "Medicinkliniken, " + name, OrgNodeKind.UNIT, region).id());
            coordinators.put(code, users.token(users.account(p + "-" + code + "-samordnare", null, Role.COORDINATOR, region)));
        });
        for (Answer answer : answers) {
            HttpResponse<?> created = http.toBlocking().exchange(HttpRequest.POST(
                    "/api/organisations/" + regionIds.get(answer.region()) + "/routines", form(answer))
                    .bearerAuth(coordinators.get(answer.region())));
            assertEquals(HttpStatus.CREATED, created.getStatus(), answer.toString());
        }
        sql.awaitRecomputations();
    }

    @Test
    void theAllocationCoversEveryRegionOnce() {
        assertEquals(REGIONS, regionIds.size(), "the survey's n");
        assertEquals(answers.size(), answers.stream().map(a -> a.region() + a.audience() + a.kind()).distinct().count(),
                "one line per region, audience and kind");
    }

    @Test
    void matrixAtTheNationalLevelCountsTheRegionsAsTheHuvudmän() {
        RoutineMatrix.Matrix atNational = matrix.at(national);

        assertEquals(REGIONS, atNational.organisations());
        assertFalse(atNational.single());
        assertEquals(ANSWERING_YES.keySet(), atNational.rows().stream().map(RoutineMatrix.Row::audience)
                .collect(Collectors.toSet()), "one row per national audience");
    }

    @Test
    void matrixAtTheNationalLevelReproducesTheRegionalSharesOfTheSurvey() {
        RoutineMatrix.Matrix atNational = matrix.at(national);

        assertAll(ANSWERING_YES.entrySet().stream().flatMap(e -> {
            RoutineMatrix.Row row = row(atNational, e.getKey());
            return List.<org.junit.jupiter.api.function.Executable>of(
                    () -> assertShare(e.getValue().introduction(), row.introduction().exists(), e.getKey() + " introduction"),
                    () -> assertShare(e.getValue().continuing(), row.continuing().exists(), e.getKey() + " continuing"))
                    .stream();
        }));
    }

    @Test
    void matrixAtTheNationalLevelReproducesThePublishedSharesWithARoutineInTheManagementSystem() {
        RoutineMatrix.Matrix atNational = matrix.at(national);

        assertAll(MANAGEMENT_SYSTEM_INTRODUCTION.entrySet().stream().map(e -> () -> assertShare(e.getValue(),
                row(atNational, e.getKey()).introduction().managementSystem(), e.getKey() + " introduction")));
        assertAll(MANAGEMENT_SYSTEM_CONTINUING.entrySet().stream().map(e -> () -> assertShare(e.getValue(),
                row(atNational, e.getKey()).continuing().managementSystem(), e.getKey() + " continuing")));
    }

    @Test
    void aManagementSystemRoutineIsDocumentedAndADocumentedOneExists() {
        for (RoutineMatrix.Row row : matrix.at(national).rows()) {
            for (RoutineMatrix.Answers a : List.of(row.introduction(), row.continuing())) {
                assertTrue(a.managementSystem().numerator() <= a.documented().numerator()
                        && a.documented().numerator() <= a.exists().numerator(), row.audience() + ": " + a);
            }
        }
    }

    @Test
    void matrixAtOneRegionIsThatRegionsOwnAnswers() {
        String region = "OGL";
        RoutineMatrix.Matrix atRegion = matrix.at(regionIds.get(region));

        assertTrue(atRegion.single());
        assertEquals(1, atRegion.organisations());
        assertOwnAnswers(region, atRegion);
    }

    @Test
    void matrixAtAUnitAnswersForTheRegionItBelongsTo() {
        String region = "GVL";
        RoutineMatrix.Matrix atUnit = matrix.at(unitIds.get(region));

        assertTrue(atUnit.single());
        assertOwnAnswers(region, atUnit);
    }

    private void assertOwnAnswers(String region, RoutineMatrix.Matrix own) {
        List<org.junit.jupiter.api.function.Executable> checks = new ArrayList<>();
        for (String audience : ANSWERING_YES.keySet()) {
            RoutineMatrix.Row row = row(own, audience);
            for (RoutineKind kind : RoutineKind.values()) {
                RoutineMatrix.Answers got = kind == RoutineKind.INTRODUCTION ? row.introduction() : row.continuing();
                Optional<DocumentationLevel> level = answers.stream()
                        .filter(a -> a.region().equals(region) && a.audience().equals(audience) && a.kind() == kind)
                        .map(Answer::documentation).findFirst();
                String what = region + " " + audience + " " + kind;
                checks.add(() -> assertOne(level.isPresent(), got.exists(), what + " exists"));
                checks.add(() -> assertOne(level.filter(l -> l != DocumentationLevel.EXISTS).isPresent(), got.documented(),
                        what + " documented"));
                checks.add(() -> assertOne(level.filter(l -> l == DocumentationLevel.MANAGEMENT_SYSTEM).isPresent(),
                        got.managementSystem(), what + " management system"));
            }
        }
        assertAll(checks.stream());
    }

    private static void assertShare(int percent, Share share, String what) {
        assertEquals(Long.valueOf(REGIONS), share.denominator(), what + ": of all regions");
        assertEquals(Integer.valueOf(percent), share.percent(), what + " (" + share.counted() + ")");
    }

    private static void assertOne(boolean yes, Share share, String what) {
        assertEquals(new Share(yes ? 1L : 0L, 1L, yes ? 100 : 0, false), share, what);
    }

    private static RoutineMatrix.Row row(RoutineMatrix.Matrix matrix, String audience) {
        return matrix.rows().stream().filter(r -> r.audience().equals(audience)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + audience));
    }

    private static RoutineForm form(Answer answer) {
        // Every module below lists the audience it is used for (courses/modules/*/module.yml).
        String module = answer.audience().equals("PATIENT_SAFETY_FUNCTION") ? "patienten-som-medskapare"
                : "riskmedvetenhet-och-beredskap";
        boolean documented = answer.documentation() != DocumentationLevel.EXISTS;
        boolean managementSystem = answer.documentation() == DocumentationLevel.MANAGEMENT_SYSTEM;
        String document = documented ? "Rutin för utbildning i patientsäkerhet, " + answer.regionName() : null;
        String approvedBy = managementSystem ? "Regiondirektören" : null;
        LocalDate approvedOn = managementSystem ? LocalDate.parse("2024-03-01") : null;
        if (answer.kind() == RoutineKind.INTRODUCTION) {
            return new RoutineForm("Introduktion i patientsäkerhet", RoutineKind.INTRODUCTION, answer.audience(),
                    List.of(module), 90, CountsFrom.ORG_START, null, null, null, answer.documentation(), document,
                    approvedBy, approvedOn);
        }
        return new RoutineForm("Fortbildning i patientsäkerhet", RoutineKind.CONTINUING, answer.audience(), List.of(module),
                null, null, 24, 60, LocalDate.parse("2024-01-01"), answer.documentation(), document, approvedBy, approvedOn);
    }

    private static List<Answer> readAllocation() {
        InputStream in = SurveyMatrixTest.class.getResourceAsStream(CSV);
        assertNotNull(in, CSV);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertEquals("region_code;region_name;audience;kind;documentation", lines.get(0));
            return lines.stream().skip(1).map(line -> {
                String[] f = line.split(";", -1);
                assertEquals(5, f.length, line);
                return new Answer(f[0], f[1], f[2], RoutineKind.valueOf(f[3]), DocumentationLevel.valueOf(f[4]));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

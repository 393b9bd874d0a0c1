package se.kompetensmal.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import se.kompetensmal.TestSql;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.routines.RoutineService;
import se.kompetensmal.routines.RecomputeJobs;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic Sweden, the same for every seed: 21 regions and 290 municipalities under a national node, about 600,000
 * people times the factor in about 20,000 units, audiences in realistic shares, routines per organisation, and three
 * years of completions. Organisations and people go through the ordinary roster import, routines through the routine
 * service; completions, millions of them, are written set-based in SQL and then linked by the ordinary recomputation.
 */
final class NationalDataset {

    static final String NATIONAL = "SE-NATIONELL";
    private static final int REGIONS = 21;
    private static final int MUNICIPALITIES = 290;
    private static final int PEOPLE_PER_UNIT = 30;
    /** Audience codes and their share of the workforce, in per mille. */
    private static final Map<String, Integer> AUDIENCES = audiences();
    private static final String[] GIVEN = {"Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Per", "Emma", "Ali", "Fatima", "Mikael"};
    private static final String[] FAMILY = {"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Hassan", "Lind"};

    record Huvudman(String code, String name, String kind, int people) {
    }

    /** What the measurements need to know of a built dataset, read back from the database. */
    record Built(long nationalId, String largestRegionCode, long largestRegionId, int largestRegionPeople, long drillDownUnitId,
                 int people, int units, long completions) {
    }

    private final ApplicationContext context;
    private final double factor;
    private final Random random;

    NationalDataset(ApplicationContext context, double factor, long seed) {
        this.context = context;
        this.factor = factor;
        this.random = new Random(seed);
    }

    /**
     * Builds the dataset, or goes on with one a stopped build left: a stage done is marked by a file in {@code stages}
     * (at full size the people and their routines' recomputations took 9 to 65 minutes before the completions began,
     * and a failure after them should not cost them again).
     */
    void build(Path stages) throws Exception {
        if (!Files.exists(stages.resolve(PEOPLE_AND_ROUTINES))) {
            peopleAndRoutines();
            Files.writeString(stages.resolve(PEOPLE_AND_ROUTINES), "done\n");
        }
        OrgNodeRepository nodes = context.getBean(OrgNodeRepository.class);
        if (!Files.exists(stages.resolve(COMPLETIONS))) {
            completions();
            Files.writeString(stages.resolve(COMPLETIONS), "done\n");
        }
        context.getBean(RecomputeJobs.class).request(nodes.findByCode(NATIONAL).orElseThrow().id(), "benchmark");
        context.getBean(TestSql.class).awaitRecomputations(Duration.ofHours(2));
        // Statistics as after any bulk load; otherwise InnoDB recounts them in the background during the first measurements,
        // and the plans chosen before that differ (seen at factor 0.05: the drill-down took 327 ms, 80 ms once counted).
        analyze();
    }

    private void analyze() {
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        tx.executeWrite(status -> context.getBean(JdbcOperations.class).prepareStatement("""
                ANALYZE TABLE person, person_audience, placement, placement_audience, org_node, org_closure, routine,
                              routine_module, assignment, completion, exemption, xapi_outbox""", statement -> statement.execute()));
    }

    /** The stages' marks: the organisations, people and routines with their assignments; the completions. */
    static final String PEOPLE_AND_ROUTINES = "stage-people-and-routines";
    static final String COMPLETIONS = "stage-completions";

    private void peopleAndRoutines() throws Exception {
        List<Huvudman> huvudmän = sizes();
        StringBuilder organisations = new StringBuilder("kod;namn;typ;överordnad\n" + NATIONAL + ";Sverige;nationell nivå;\n");
        StringBuilder people = new StringBuilder("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n");
        LocalDate today = LocalDate.now();
        for (Huvudman h : huvudmän) {
            organisations.append(h.code()).append(';').append(h.name()).append(';').append(h.kind()).append(';').append(NATIONAL).append('\n');
            int unitCount = Math.max(2, h.people() / PEOPLE_PER_UNIT);
            int administrations = Math.max(1, unitCount / 40);
            for (int a = 1; a <= administrations; a++) {
                organisations.append(h.code()).append("-F").append(a).append(";Förvaltning ").append(a).append(" ").append(h.name())
                        .append(";förvaltning;").append(h.code()).append('\n');
            }
            for (int u = 1; u <= unitCount; u++) {
                organisations.append(h.code()).append("-E").append(u).append(";Enhet ").append(u).append(" ").append(h.name())
                        .append(";enhet;").append(h.code()).append("-F").append(1 + u % administrations).append('\n');
            }
            for (int p = 1; p <= h.people(); p++) {
                LocalDate start = today.minusDays(random.nextInt(15 * 365));
                people.append(h.code()).append('-').append(p).append(';').append(GIVEN[random.nextInt(GIVEN.length)]).append(';')
                        .append(FAMILY[random.nextInt(FAMILY.length)]).append(";;").append(h.code()).append("-E").append(1 + random.nextInt(unitCount))
                        .append(';').append(audience()).append(';').append(start).append(';').append(start).append('\n');
            }
        }
        load(RosterImportKind.ORGANISATIONS, organisations);
        load(RosterImportKind.PEOPLE, people);
        placements();
        // And after the people: on statistics taken while the tables were nearly empty, each routine's recomputation
        // withdrew on a plan that took 22 s and more for 721 people (a clean clone at factor 0.02: 10 of 337 jobs done in
        // 7 minutes); after ANALYZE the other 327 took seconds in all. Probably also why a full-size build once spent 65
        // minutes on this stage.
        analyze();

        OrgNodeRepository nodes = context.getBean(OrgNodeRepository.class);
        RoutineService routines = context.getBean(RoutineService.class);
        for (Huvudman h : huvudmän) {
            long id = nodes.findByCode(h.code()).orElseThrow().id();
            boolean region = h.kind().equals("region");
            if (random.nextInt(100) < (region ? 81 : 63)) {
                routines.create(id, intro("LICENSED", List.of("vardskador-grunder", "sakerhetskultur-och-risker")), "benchmark");
            }
            if (random.nextInt(100) < 48) {
                routines.create(id, intro("NON_LICENSED", List.of("se-och-saga-till", "basala-hygienrutiner")), "benchmark");
            }
            if (random.nextInt(100) < (region ? 76 : 51)) {
                routines.create(id, intro("FRONTLINE_MANAGER", List.of("leda-och-styra-for-saker-vard")), "benchmark");
            }
            if (random.nextInt(100) < 45) {
                routines.create(id, new RoutineForm("Basala hygienrutiner varje år", RoutineKind.CONTINUING, "LICENSED",
                        List.of("basala-hygienrutiner"), null, null, 12, 60, today.minusYears(3), DocumentationLevel.DOCUMENTED,
                        "Riktlinje", null, null), "benchmark");
            }
        }
        context.getBean(TestSql.class).awaitRecomputations(Duration.ofHours(2));
    }

    /** The built dataset's facts; the largest region is the one with most people, its drill-down its first administration. */
    static Built describe(ApplicationContext context) {
        JdbcOperations jdbc = context.getBean(JdbcOperations.class);
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        return tx.executeRead(status -> jdbc.prepareStatement("""
                SELECT n.id, r.code, r.id, r.people, f.id,
                       (SELECT COUNT(*) FROM person), (SELECT COUNT(*) FROM org_node WHERE kind = 'UNIT'),
                       (SELECT COUNT(*) FROM completion)
                FROM org_node n
                JOIN (SELECT o.id, o.code, COUNT(*) AS people FROM org_node o JOIN org_closure c ON c.ancestor_id = o.id
                      JOIN current_placement p ON p.org_node_id = c.descendant_id WHERE o.kind = 'REGION'
                      GROUP BY o.id, o.code ORDER BY people DESC, o.code LIMIT 1) r
                JOIN org_node f ON f.code = CONCAT(r.code, '-F1')
                WHERE n.code = ?""", statement -> {
            statement.setString(1, NATIONAL);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return new Built(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getInt(6),
                        rs.getInt(7), rs.getLong(8));
            }
        }));
    }

    /** Region and municipality sizes drawn from skewed ranges, then scaled so that all add up to 600,000 × factor. */
    private List<Huvudman> sizes() {
        List<Huvudman> drawn = new ArrayList<>();
        for (int i = 1; i <= REGIONS; i++) {
            double r = random.nextDouble();
            drawn.add(new Huvudman(String.format("SE23210%05d", i), "Region " + i, "region", (int) (5_000 + r * r * 45_000)));
        }
        for (int i = 1; i <= MUNICIPALITIES; i++) {
            double r = random.nextDouble();
            drawn.add(new Huvudman(String.format("SE21200%05d", i), "Kommun " + i, "kommun", (int) (200 + r * r * r * 4_800)));
        }
        double scale = 600_000 * factor / drawn.stream().mapToInt(Huvudman::people).sum();
        return drawn.stream().map(h -> new Huvudman(h.code(), h.name(), h.kind(), Math.max(5, (int) Math.round(h.people() * scale))))
                .toList();
    }

    private String audience() {
        int pick = random.nextInt(1000);
        for (Map.Entry<String, Integer> share : AUDIENCES.entrySet()) {
            pick -= share.getValue();
            if (pick < 0) {
                return share.getKey();
            }
        }
        return "NON_LICENSED";
    }

    /**
     * About eight completions a person over three years (five million at full size): every module's latest version,
     * taken by a share of people, on a day of the last three years; which and when follow from a hash of the ids, so the
     * same data comes back every time.
     */
    private void completions() {
        JdbcOperations jdbc = context.getBean(JdbcOperations.class);
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        long last = tx.executeRead(status -> jdbc.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM person", statement -> {
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
        // 50,000 people a transaction: at full size one statement of 4.8 million rows (each logged by the standing
        // triggers) ran past the connection's 120-s socket timeout, and a stopped build redid it all. People who have
        // their completions (an earlier, stopped run's committed chunk) are left as they are.
        se.kompetensmal.sql.NamedSql sql = context.getBean(se.kompetensmal.sql.NamedSql.class);
        for (long from = 0; from < last; from += COMPLETION_CHUNK) {
            se.kompetensmal.sql.NamedSql.Params chunk = se.kompetensmal.sql.NamedSql.with("from", from).and("to", from + COMPLETION_CHUNK);
            tx.executeWrite(status -> sql.update("""
                    INSERT INTO completion (person_id, module_version_id, completed_on, score, seconds_spent, source)
                    SELECT p.id, m.id, CURRENT_DATE - INTERVAL (CRC32(CONCAT(p.id, ':', m.id, ':', k.n)) % 1095) DAY,
                           70 + CRC32(CONCAT(m.id, ':', p.id)) % 31, 900 + CRC32(CONCAT(p.id, m.id)) % 900, 'INTERNAL'
                    FROM person p JOIN module_version m ON m.xapi_activity_id IS NULL
                     AND m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)
                    JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) k
                    WHERE p.id > :from AND p.id <= :to AND CRC32(CONCAT(k.n, '/', p.id, '/', m.id)) % 100 < 19
                      AND NOT EXISTS (SELECT 1 FROM completion had WHERE had.person_id = p.id)""", chunk));
        }
    }

    private static final int COMPLETION_CHUNK = 50_000;

    /**
     * One placement a person, in their unit with their dates and audiences, for everyone the import left without one:
     * routines, the follow-up and statistics read where people are placed, so without placements the benchmark would
     * count nobody. An import that writes placements itself leaves nothing to do here.
     */
    private void placements() {
        JdbcOperations jdbc = context.getBean(JdbcOperations.class);
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        tx.executeWrite(status -> {
            jdbc.prepareStatement("""
                    INSERT INTO placement (person_id, org_node_id, org_start_date, role_start_date, last_import_id)
                    SELECT p.id, p.org_node_id, p.org_start_date, p.role_start_date, p.last_import_id FROM person p
                    WHERE NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.person_id = p.id)""", statement -> statement.executeUpdate());
            return jdbc.prepareStatement("""
                    INSERT IGNORE INTO placement_audience (placement_id, audience_id)
                    SELECT pl.id, pa.audience_id FROM placement pl JOIN person_audience pa ON pa.person_id = pl.person_id
                    WHERE NOT EXISTS (SELECT 1 FROM placement_audience had WHERE had.placement_id = pl.id)""",
                    statement -> statement.executeUpdate());
        });
    }

    private void load(RosterImportKind kind, StringBuilder csv) throws Exception {
        context.getBean(RosterImportService.class).start(kind, false, null, "benchmark-" + kind.name().toLowerCase() + ".csv",
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8))).done().get();
    }

    private static RoutineForm intro(String audience, List<String> modules) {
        return new RoutineForm("Introduktion " + audience, RoutineKind.INTRODUCTION, audience, modules, 60, CountsFrom.ORG_START,
                null, null, null, DocumentationLevel.EXISTS, null, null, null);
    }

    private static Map<String, Integer> audiences() {
        Map<String, Integer> shares = new LinkedHashMap<>();
        shares.put("NON_LICENSED", 440);
        shares.put("LICENSED", 350);
        shares.put("FRONTLINE_MANAGER", 50);
        shares.put("LOCAL_SUPPORT", 70);
        shares.put("CENTRAL_SUPPORT", 50);
        shares.put("PATIENT_SAFETY_FUNCTION", 15);
        shares.put("STRATEGIC_LEADER", 15);
        shares.put("POLITICIAN", 10);
        return shares;
    }
}

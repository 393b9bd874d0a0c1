package se.kompetensmal.ops;

import org.junit.jupiter.api.Test;
import se.kompetensmal.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What start-up and {@code migrate} learn from the server: on Galera (and with a binary log) an account without SUPER
 * may create V2's triggers only with log_bin_trust_function_creators=1, else MariaDB stops the migration halfway with
 * error 1419; the migration stops before it with the setting to change instead. And on Galera every connection gets
 * wsrep_sync_wait through the URL.
 */
class DatabaseServerTest {

    @Test
    void aGaleraNodeWithoutTheSettingIsRefusedWithTheSettingToChangeOnEveryNode() {
        String problem = new DatabaseServer(true, false, false, false).triggerProblem();
        assertTrue(problem.contains("log_bin_trust_function_creators=1 på varje nod i Galera-klustret"), problem);
        assertTrue(problem.contains("1419"), problem);
        assertTrue(new DatabaseServer(false, true, false, false).triggerProblem().contains("log_bin_trust_function_creators=1 på databasservern"));
    }

    @Test
    void theSettingOrSuperOrNoReplicationLetsTheTriggersBeCreated() {
        assertNull(new DatabaseServer(true, true, true, false).triggerProblem());
        assertNull(new DatabaseServer(true, true, false, true).triggerProblem());
        assertNull(new DatabaseServer(false, false, false, false).triggerProblem());
    }

    @Test
    void theTestServerIsReadAsPlainMariaDbWhereTheTriggersMayBeCreated() throws SQLException {
        try (Connection root = DriverManager.getConnection(TestDatabase.Server.urlFor("mysql"), TestDatabase.Server.user(),
                TestDatabase.Server.password())) {
            DatabaseServer server = DatabaseServer.of(root);
            assertFalse(server.galera());
            assertNull(server.triggerProblem());
        }
    }

    @Test
    void superIsReadFromTheGrantsOnEveryDatabaseOnly() {
        assertTrue(DatabaseServer.holdsSuper(List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION")));
        assertTrue(DatabaseServer.holdsSuper(List.of("GRANT USAGE ON *.* TO `a`@`%`", "GRANT SELECT, SUPER ON *.* TO `a`@`%`")));
        assertFalse(DatabaseServer.holdsSuper(List.of("GRANT USAGE ON *.* TO `kompetensmal`@`%` IDENTIFIED BY PASSWORD '*AB'",
                "GRANT ALL PRIVILEGES ON `kompetensmal`.* TO `kompetensmal`@`%`")));
    }

    @Test
    void onGaleraTheUrlCarriesTheSyncWaitBesideOtherSessionVariables() {
        assertEquals("jdbc:mariadb:sequential://db1:3306,db2:3306/kompetensmal?sessionVariables=wsrep_sync_wait=3",
                GaleraSessions.withSyncWait("jdbc:mariadb:sequential://db1:3306,db2:3306/kompetensmal"));
        assertEquals("jdbc:mariadb://db1/k?galeraAllowedState=4&sessionVariables=wsrep_sync_wait=3",
                GaleraSessions.withSyncWait("jdbc:mariadb://db1/k?galeraAllowedState=4"));
        assertEquals("jdbc:mariadb://db1/k?sessionVariables=wsrep_sync_wait=3,sql_mode=ANSI&x=1",
                GaleraSessions.withSyncWait("jdbc:mariadb://db1/k?sessionVariables=sql_mode=ANSI&x=1"));
    }
}

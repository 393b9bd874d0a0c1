package se.kompetensmal.jobs;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.security.Role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The administrators' page of background work: names, not codes, and only for system-wide administrators. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsPagesTest extends ServiceTest {

    @Test
    void aSystemWideAdministratorSeesEachKindByNameWithWhatWaits() {
        String p = "JOBP" + System.nanoTime();
        long municipality = tree.add(p, "Kommun Jobb", OrgNodeKind.MUNICIPALITY, null).id();
        sql.awaitRecomputations();
        // Another instance holds the recomputations (its heartbeat good for a minute, however slow this machine is) and
        // two wait behind it: the page names the holder and counts the two as waiting.
        se.kompetensmal.Waiting.until(() -> sql.update("UPDATE scheduled_tasks SET picked = TRUE, picked_by = 'instans-x', "
                + "last_heartbeat = UTC_TIMESTAMP(6) + INTERVAL 1 MINUTE, version = version + 1 "
                + "WHERE task_name = 'recompute' AND picked = FALSE"), n -> n == 1, java.time.Duration.ofSeconds(30),
                "the recomputations free to take");
        try {
            sql.update("INSERT INTO recompute_job (scope_org_id, status, requested_by) VALUES (?, 'QUEUED', 'test'), "
                    + "(?, 'QUEUED', 'test')", municipality, municipality);

            String page = http.toBlocking().retrieve(HttpRequest.GET("/admin/bakgrundsjobb").accept(MediaType.TEXT_HTML)
                    .bearerAuth(users.admin()));

            assertTrue(page.contains("<th scope=\"row\">Omräkning av uppdrag"), page);
            String row = page.substring(page.indexOf("Omräkning av uppdrag"));
            row = row.substring(0, row.indexOf("</tr>"));
            assertTrue(row.contains("<td>instans-x</td>") && row.contains("<td>2</td>"), row);
            assertFalse(page.contains(">recompute<"), "the kind's code is not shown");
        } finally {
            sql.update("UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, execution_time = UTC_TIMESTAMP(6) "
                    + "WHERE task_name = 'recompute' AND picked_by = 'instans-x'");
            sql.awaitRecomputations();
        }
    }

    @Test
    void anAdministratorOfOneOrganisationIsRefused() {
        String p = "JOBA" + System.nanoTime();
        long municipality = tree.add(p, "Kommun Admin", OrgNodeKind.MUNICIPALITY, null).id();
        String localAdmin = users.token(users.account(p + "-admin", null, Role.ADMINISTRATOR, municipality));
        HttpClientResponseException refused = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .exchange(HttpRequest.GET("/admin/bakgrundsjobb").accept(MediaType.TEXT_HTML).bearerAuth(localAdmin)));
        assertEquals(HttpStatus.FORBIDDEN, refused.getStatus());
    }
}

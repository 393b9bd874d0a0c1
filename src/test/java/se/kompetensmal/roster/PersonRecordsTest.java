package se.kompetensmal.roster;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one writer of people: identity, placements of a source, the home placement and audiences kept in step. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonRecordsTest extends ServiceTest {

    @Singleton
    static class Heard {
        final List<PeopleChanged> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(PeopleChanged event) {
            events.add(event);
        }
    }

    @Inject
    PersonRecords records;
    @Inject
    Heard heard;

    long municipality;
    long unitA;
    long unitB;
    long politicians;
    long licensed;
    long nonLicensed;

    @BeforeAll
    void aMunicipality() {
        String code = "PR" + System.nanoTime() % 1_000_000_000L;
        municipality = tree.add(code, "Testkommun", OrgNodeKind.MUNICIPALITY, null).id();
        unitA = tree.add("1001", "Hemtjänst Norr", OrgNodeKind.UNIT, municipality).id();
        unitB = tree.add("1002", "Kommunfullmäktige", OrgNodeKind.UNIT, municipality).id();
        politicians = sql.number("SELECT id FROM audience WHERE code = 'POLITICIAN'");
        licensed = sql.number("SELECT id FROM audience WHERE code = 'LICENSED'");
        nonLicensed = sql.number("SELECT id FROM audience WHERE code = 'NON_LICENSED'");
    }

    @Test
    void aPersonWithTwoPlacementsHasTheEarliestAsHomeAndTheUnionOfAudiences() {
        assertEquals(municipality, sql.number("SELECT huvudman_id FROM org_node WHERE id = ?", unitA),
                "a unit belongs to the municipality above it");
        PersonDetails eva = new PersonDetails(new PersonIdentity(null, "A-100", null), "Eva", "Ek");

        long id = records.save(municipality, eva, List.of(
                new PlacementRecord(unitB, Set.of(politicians), LocalDate.of(2022, 1, 1), LocalDate.of(2022, 1, 1)),
                new PlacementRecord(unitA, Set.of(nonLicensed), LocalDate.of(2020, 5, 1), LocalDate.of(2021, 1, 1))),
                PlacementSource.SCIM, "test");

        assertEquals(unitA, sql.number("SELECT org_node_id FROM person WHERE id = ?", id), "the earliest placement is the home");
        assertEquals("2021-01-01", sql.strings("SELECT role_start_date FROM person WHERE id = ?", id).get(0));
        assertEquals(List.of("NON_LICENSED", "POLITICIAN"), sql.strings("SELECT a.code FROM person_audience pa "
                + "JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = ? ORDER BY a.code", id));
        assertEquals(2, sql.number("SELECT COUNT(*) FROM current_placement WHERE person_id = ?", id));
        assertEquals(id, records.find(municipality, new PersonIdentity(null, "A-100", null)).orElseThrow());

        // The same source again with one placement: the other ends (kept, with the date), the home moves.
        long again = records.save(municipality, eva, List.of(
                new PlacementRecord(unitB, Set.of(politicians), LocalDate.of(2022, 1, 1), null)), PlacementSource.SCIM, "test");
        assertEquals(id, again);
        assertEquals(unitB, sql.number("SELECT org_node_id FROM person WHERE id = ?", id));
        assertEquals(1, sql.number("SELECT COUNT(*) FROM placement WHERE person_id = ? AND ended_on IS NOT NULL", id));
        assertEquals(List.of("POLITICIAN"), sql.strings("SELECT a.code FROM person_audience pa "
                + "JOIN audience a ON a.id = pa.audience_id WHERE pa.person_id = ?", id));
        assertTrue(heard.events.stream().anyMatch(e -> e.personIds().contains(id)), "PeopleChanged was published");

        long only = sql.number("SELECT id FROM placement WHERE person_id = ? AND ended_on IS NULL", id);
        RosterRuleViolation last = assertThrows(RosterRuleViolation.class,
                () -> records.endPlacement(only, LocalDate.now(), "test"));
        assertTrue(last.getMessage().contains("slutat"), last.getMessage());
    }

    @Test
    void aPersonKnownByEmailTakesAnEmployeeNumberLaterAndStaysTheSamePerson() {
        String mail = "ledamot" + System.nanoTime() + "@kommun.example";
        long id = records.save(municipality, new PersonDetails(new PersonIdentity(null, null, mail), "Lars", "Lund"),
                List.of(new PlacementRecord(unitB, Set.of(politicians), LocalDate.of(2023, 1, 1), null)),
                PlacementSource.MANUAL, "test");

        long same = records.save(municipality, new PersonDetails(new PersonIdentity(null, "P-" + id, mail.toUpperCase()),
                "Lars", "Lund"), List.of(new PlacementRecord(unitB, Set.of(politicians), LocalDate.of(2023, 1, 1), null)),
                PlacementSource.MANUAL, "test");

        assertEquals(id, same);
        assertEquals("P-" + id, sql.strings("SELECT employee_number FROM person WHERE id = ?", id).get(0));
        RosterRuleViolation nobody = assertThrows(RosterRuleViolation.class, () -> records.save(municipality,
                new PersonDetails(new PersonIdentity(null, null, null), "Ingen", "Alls"),
                List.of(new PlacementRecord(unitA, Set.of(licensed), LocalDate.of(2023, 1, 1), null)), PlacementSource.MANUAL, "test"));
        assertEquals("hsaId", nobody.field());
    }
}

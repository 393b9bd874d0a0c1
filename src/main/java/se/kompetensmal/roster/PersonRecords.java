package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.sql.AfterCommit;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one writer of people one at a time (SCIM, pages, tests): the person row, their placements and the audiences of
 * each, with what the person row repeats from the placements (home unit and dates, the union of audiences, see
 * {@link PersonHomes}) kept in step. The HR file import writes the same tables set-based and by the same rules
 * ({@link IdentityRule}, {@link PersonHomes}); nothing else writes them. Every change is audited and announced with
 * {@link PeopleChanged} once committed, so that assignments are recomputed from what is really saved.
 */
@Singleton
public class PersonRecords {

    public static final String PERSON_SAVED = "PERSON_SAVED";
    public static final String PLACEMENT_ENDED = "PLACEMENT_ENDED";
    public static final String PERSON_LEFT = "PERSON_LEFT";

    /** An HSA-id as the HSA directory issues them: the organisation's number, a dash and a local part. */
    static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** The lengths of the columns. */
    static final int HSA_ID_LENGTH = 64;
    static final int EMPLOYEE_NUMBER_LENGTH = 40;
    static final int EMAIL_LENGTH = 254;
    static final int NAME_LENGTH = 100;
    /** More placements than this for one person is a broken record, not a person. */
    static final int MAX_PLACEMENTS = 20;

    private final NamedSql sql;
    private final IdentityRule identities;
    private final PersonHomes homes;
    private final AuditLog audit;
    private final AfterCommit events;

    PersonRecords(NamedSql sql, IdentityRule identities, PersonHomes homes, AuditLog audit, AfterCommit events) {
        this.sql = sql;
        this.identities = identities;
        this.homes = homes;
        this.audit = audit;
        this.events = events;
    }

    /** The person known by this identity within the huvudman (HSA-id → employee number → e-mail), any status. */
    @Transactional
    public Optional<Long> find(long huvudmanId, PersonIdentity identity) {
        if (!identity.isPresent()) {
            return Optional.empty();
        }
        return Optional.ofNullable(identities.match(huvudmanId, identity).personId());
    }

    /**
     * Creates or updates the person; their current placements of this source become exactly {@code placements} (others
     * of the source ended, new ones created, changed ones updated; a current placement of another source in one of the
     * units is taken over by this source, the others are untouched); a person who had left becomes active again; the
     * home placement and person_audience are derived anew; audited; {@link PeopleChanged} after commit. An identity
     * value left out (null) keeps the one recorded: a source that does not know the employee number does not erase it.
     *
     * @throws RosterRuleViolation on a broken rule, with a Swedish message and the field at fault
     */
    @Transactional
    public long save(long huvudmanId, PersonDetails person, List<PlacementRecord> placements, PlacementSource source,
                     String actor) {
        return write(huvudmanId, null, person, placements, source, actor);
    }

    /**
     * As {@link #save}, for a person the source already knows by their id (a SCIM user linked to them): their identity
     * values may all change at once (a politician known only by e-mail gets a new address), as long as they do not
     * name someone else, which is refused like any broken rule.
     */
    @Transactional
    public long saveKnown(long huvudmanId, long personId, PersonDetails person, List<PlacementRecord> placements,
                          PlacementSource source, String actor) {
        return write(huvudmanId, personId, person, placements, source, actor);
    }

    private long write(long huvudmanId, @Nullable Long known, PersonDetails person, List<PlacementRecord> placements,
                       PlacementSource source, String actor) {
        PersonIdentity identity = person.identity();
        checkPerson(person);
        checkPlacements(huvudmanId, placements);
        IdentityRule.Match match = identities.match(huvudmanId, identity);
        if (match.refused()) {
            throw new RosterRuleViolation(match.conflictField(), capitalised(match.conflict()) + ".");
        }
        if (known != null && match.personId() != null && !match.personId().equals(known)) {
            throw new RosterRuleViolation("person", "Anställningsnumret, e-postadressen eller HSA-id:t hör till en annan person.");
        }
        PlacementRecord first = placements.stream().min((a, b) -> a.orgStart().compareTo(b.orgStart())).orElse(null);
        Long found = known != null ? known : match.personId();
        long personId;
        NamedSql.Params values = NamedSql.with("hsa", identity.hsaId()).and("huvudman", huvudmanId)
                .and("number", identity.employeeNumber()).and("given", person.givenName().strip())
                .and("family", person.familyName().strip()).and("email", identity.email());
        if (found == null) {
            if (first == null) {
                throw new RosterRuleViolation("placements", "En ny person måste placeras på minst en enhet.");
            }
            personId = sql.insert("""
                    INSERT INTO person (hsa_id, huvudman_id, employee_number, given_name, family_name, email, org_node_id,
                                        org_start_date, role_start_date, status)
                    VALUES (:hsa, :huvudman, :number, :given, :family, :email, :unit, :orgStart, :roleStart, 'ACTIVE')""",
                    values.and("unit", first.orgNodeId()).and("orgStart", first.orgStart())
                            .and("roleStart", roleStart(first)));
        } else {
            personId = found;
            sql.update("""
                    UPDATE person SET hsa_id = COALESCE(:hsa, hsa_id), huvudman_id = :huvudman,
                        employee_number = COALESCE(:number, employee_number), given_name = :given, family_name = :family,
                        email = COALESCE(:email, email), status = 'ACTIVE', left_on = NULL
                    WHERE id = :person""", values.and("person", personId));
        }
        placeExactly(personId, placements, source, actor);
        homes.derive(personId);
        audit.record(actor, PERSON_SAVED, "person:" + personId + " (" + source + ", " + placements.size()
                + (placements.size() == 1 ? " placering)" : " placeringar)"), null);
        announce(Set.of(personId), found == null ? "ny person" : "person ändrad");
        return personId;
    }

    /** Ends one placement (never deletes it). The only current placement of a person cannot end: the person leaves. */
    @Transactional
    public void endPlacement(long placementId, LocalDate on, String actor) {
        record Placement(long personId, LocalDate endedOn, long current) {
        }
        Placement placement = sql.one("""
                SELECT pl.person_id, pl.ended_on,
                       (SELECT COUNT(*) FROM placement o WHERE o.person_id = pl.person_id AND o.ended_on IS NULL) AS current
                FROM placement pl WHERE pl.id = :placement FOR UPDATE""", NamedSql.with("placement", placementId),
                row -> new Placement(row.number("person_id"), row.date("ended_on"), row.number("current")))
                .orElseThrow(() -> new RosterRuleViolation("placement", "Placeringen finns inte."));
        if (placement.endedOn() != null) {
            throw new RosterRuleViolation("placement", "Placeringen avslutades redan " + placement.endedOn() + ".");
        }
        if (placement.current() <= 1) {
            throw new RosterRuleViolation("placement", "Det här är personens enda placering och kan inte avslutas. "
                    + "Har personen slutat, markera i stället att personen har slutat.");
        }
        sql.update("UPDATE placement SET ended_on = :on, ended_by = :actor WHERE id = :placement",
                NamedSql.with("on", on).and("actor", fit(actor)).and("placement", placementId));
        homes.derive(placement.personId());
        audit.record(actor, PLACEMENT_ENDED, "placement:" + placementId + " person:" + placement.personId(), null);
        announce(Set.of(placement.personId()), "placering avslutad");
    }

    /** The person has left (status LEFT from {@code on}); their placements stay as they were, for history and return. */
    @Transactional
    public void markLeft(long personId, LocalDate on, String actor) {
        int changed = sql.update("UPDATE person SET status = 'LEFT', left_on = :on WHERE id = :person AND status = 'ACTIVE'",
                NamedSql.with("on", on).and("person", personId));
        if (changed == 0) {
            if (sql.number("SELECT COUNT(*) FROM person WHERE id = :person", NamedSql.with("person", personId)) == 0) {
                throw new RosterRuleViolation("person", "Personen finns inte.");
            }
            return;
        }
        audit.record(actor, PERSON_LEFT, "person:" + personId, null);
        announce(Set.of(personId), "personen har slutat");
    }

    /** Tells the features that react to people (the recomputation) who changed, once the change has committed. */
    void announce(Set<Long> personIds, String reason) {
        events.publish(new PeopleChanged(Set.copyOf(personIds), reason));
    }

    private record Current(long id, long orgNodeId, PlacementSource source) {
    }

    private void placeExactly(long personId, List<PlacementRecord> placements, PlacementSource source, String actor) {
        Map<Long, Current> current = new HashMap<>();
        sql.list("SELECT id, org_node_id, source FROM placement WHERE person_id = :person AND ended_on IS NULL FOR UPDATE",
                NamedSql.with("person", personId), row -> current.put(row.number("org_node_id"),
                        new Current(row.number("id"), row.number("org_node_id"), PlacementSource.valueOf(row.string("source")))));
        Set<Long> wanted = new HashSet<>();
        placements.forEach(p -> wanted.add(p.orgNodeId()));
        long remaining = current.values().stream().filter(c -> c.source() != source && !wanted.contains(c.orgNodeId())).count()
                + wanted.size();
        if (remaining == 0) {
            throw new RosterRuleViolation("placements", "Personen måste vara placerad på minst en enhet.");
        }
        for (Current c : current.values()) {
            if (c.source() == source && !wanted.contains(c.orgNodeId())) {
                sql.update("UPDATE placement SET ended_on = :today, ended_by = :actor WHERE id = :placement",
                        NamedSql.with("today", LocalDate.now(se.kompetensmal.SwedishTime.ZONE)).and("actor", fit(actor))
                                .and("placement", c.id()));
            }
        }
        for (PlacementRecord p : placements) {
            Current existing = current.get(p.orgNodeId());
            long placementId;
            NamedSql.Params values = NamedSql.with("orgStart", p.orgStart()).and("roleStart", roleStart(p))
                    .and("source", source).and("person", personId).and("unit", p.orgNodeId());
            if (existing == null) {
                placementId = sql.insert("""
                        INSERT INTO placement (person_id, org_node_id, org_start_date, role_start_date, source)
                        VALUES (:person, :unit, :orgStart, :roleStart, :source)""", values);
            } else {
                placementId = existing.id();
                sql.update("""
                        UPDATE placement SET org_start_date = :orgStart, role_start_date = :roleStart, source = :source
                        WHERE id = :placement AND person_id = :person AND org_node_id = :unit""",
                        values.and("placement", placementId));
                sql.update("DELETE FROM placement_audience WHERE placement_id = :placement", NamedSql.with("placement", placementId));
            }
            List<NamedSql.Params> links = new ArrayList<>();
            for (long audience : p.audienceIds()) {
                links.add(NamedSql.with("placement", placementId).and("audience", audience));
            }
            sql.batch("INSERT INTO placement_audience (placement_id, audience_id) VALUES (:placement, :audience)", links);
        }
    }

    private static LocalDate roleStart(PlacementRecord p) {
        return p.roleStart() == null ? p.orgStart() : p.roleStart();
    }

    private static void checkPerson(PersonDetails person) {
        PersonIdentity id = person.identity();
        if (!id.isPresent()) {
            throw new RosterRuleViolation("hsaId", "Personen saknar identitet: ange HSA-id, anställningsnummer eller e-postadress.");
        }
        if (id.hsaId() != null && (id.hsaId().length() > HSA_ID_LENGTH || !HSA_ID.matcher(id.hsaId()).matches())) {
            throw new RosterRuleViolation("hsaId", "Ogiltigt HSA-id (väntat format: SE2321000016-1003).");
        }
        if (id.employeeNumber() != null && (id.employeeNumber().length() > EMPLOYEE_NUMBER_LENGTH
                || hasControlCharacter(id.employeeNumber()))) {
            throw new RosterRuleViolation("employeeNumber", "Anställningsnumret får ha högst " + EMPLOYEE_NUMBER_LENGTH
                    + " tecken och inga styrtecken.");
        }
        if (id.email() != null && (id.email().length() > EMAIL_LENGTH || !EMAIL.matcher(id.email()).matches())) {
            throw new RosterRuleViolation("email", "Ogiltig e-postadress.");
        }
        checkName("givenName", "Förnamnet", person.givenName());
        checkName("familyName", "Efternamnet", person.familyName());
    }

    private static void checkName(String field, String label, String name) {
        if (name == null || name.isBlank()) {
            throw new RosterRuleViolation(field, label + " saknas.");
        }
        if (name.strip().length() > NAME_LENGTH || hasControlCharacter(name)) {
            throw new RosterRuleViolation(field, label + " får ha högst " + NAME_LENGTH + " tecken och inga styrtecken.");
        }
    }

    private void checkPlacements(long huvudmanId, List<PlacementRecord> placements) {
        if (placements.size() > MAX_PLACEMENTS) {
            throw new RosterRuleViolation("placements", "Fler än " + MAX_PLACEMENTS + " placeringar för en person.");
        }
        Set<Long> units = new HashSet<>();
        Set<Long> audiences = new HashSet<>();
        for (PlacementRecord p : placements) {
            if (!units.add(p.orgNodeId())) {
                throw new RosterRuleViolation("placements", "Personen är placerad två gånger på samma enhet.");
            }
            if (p.orgStart() == null) {
                throw new RosterRuleViolation("placements", "Startdatum i organisationen saknas.");
            }
            if (p.audienceIds() == null || p.audienceIds().isEmpty()) {
                throw new RosterRuleViolation("placements", "Varje placering behöver minst en målgrupp.");
            }
            audiences.addAll(p.audienceIds());
        }
        if (units.isEmpty()) {
            return;
        }
        NamedSql.Params params = NamedSql.with("huvudman", huvudmanId);
        String in = IdentityRule.names("u", List.copyOf(units), params);
        long inHuvudman = sql.number("SELECT COUNT(*) FROM org_node WHERE huvudman_id = :huvudman AND id IN (" + in + ")", params);
        if (inHuvudman != units.size()) {
            throw new RosterRuleViolation("placements", "En enhet finns inte hos huvudmannen.");
        }
        NamedSql.Params audienceParams = new NamedSql.Params();
        String audienceIn = IdentityRule.names("a", List.copyOf(audiences), audienceParams);
        if (sql.number("SELECT COUNT(*) FROM audience WHERE id IN (" + audienceIn + ")", audienceParams) != audiences.size()) {
            throw new RosterRuleViolation("placements", "En målgrupp finns inte.");
        }
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL);
    }

    private static String capitalised(String message) {
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /** The column's size (placement.ended_by). */
    private static String fit(String actor) {
        return actor.length() <= 100 ? actor : actor.substring(0, 100);
    }
}

package se.kompetensmal.roster;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.ops.LargeTransactions;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Imports people from CSV: one row per placement, several rows for one person (the same identity) being several
 * placements, each with its own unit, audiences and start dates. A person is known by HSA-id, else employee number,
 * else e-mail, within the huvudman of the unit ({@link IdentityRule}). The whole file is validated first; only a file
 * without a single bad row is written, in one transaction, in batches, streaming the file twice so that memory grows only
 * with the number of people, never with the rows' contents. The person rows repeat their home placement and the union
 * of audiences, derived set-based at the end ({@link PersonHomes}), as the one writer of single people does.
 */
@Singleton
// Reads outside a transaction still need a connection of their own.
@Connectable
class PeopleRosterImporter {

    private static final Logger LOG = LoggerFactory.getLogger(PeopleRosterImporter.class);

    static final List<String> REQUIRED = List.of("fornamn", "efternamn", "enhet", "malgrupper", "startdatum_organisation");

    private static final Pattern AUDIENCE_SEPARATOR = Pattern.compile("\\s*[|+]\\s*");
    private static final int BATCH = 1_000;
    /** More audiences than this for one placement is a broken file, not a person. */
    static final int MAX_AUDIENCES = 20;
    /** Who an import records as having ended a placement. */
    private static final String ENDED_BY = "import";

    private final NamedSql sql;
    private final IdentityRule identities;
    private final PersonHomes homes;
    private final PersonRecords records;
    private final double confirmLeftShare;
    private final Audiences usableAudiences;
    private final LargeTransactions large;

    PeopleRosterImporter(NamedSql sql, IdentityRule identities, PersonHomes homes, PersonRecords records,
                         Audiences usableAudiences, LargeTransactions large,
                         @Value("${kompetensmal.import.confirm-left-share:0.10}") double confirmLeftShare) {
        this.large = large;
        this.sql = sql;
        this.identities = identities;
        this.homes = homes;
        this.records = records;
        this.usableAudiences = usableAudiences;
        this.confirmLeftShare = confirmLeftShare;
    }

    /** One valid row: a placement of a person, ready to write. */
    private record PersonRow(int row, long huvudmanId, PersonIdentity identity, String givenName, String familyName,
                             long orgNodeId, List<Long> audienceIds, LocalDate orgStart, LocalDate roleStart) {
    }

    /** A unit that may be named in the file: its id, huvudman and name (for messages). */
    record Unit(long id, @Nullable Long huvudmanId, String name) {
    }

    /**
     * What a row is checked against: the units within reach by code (a code may name units of several huvudmän in an
     * instance-wide import) and by their HSA-id, the huvudmän's codes, the audiences by code, those of them an
     * organisation owns, and which audiences are usable at a unit (asked only for rows that name an owned one).
     */
    record Lookups(Map<String, List<Unit>> unitsByCode, Map<String, Unit> unitsByHsaId, Map<Long, Unit> unitsById,
                   Map<Long, String> huvudmanCodes,
                   Map<String, Long> audiences, Set<Long> owned, Function<Long, Set<Long>> usableAtUnit) {
    }

    /**
     * The people of the file as seen so far, by their first row: every later row of the same identity must agree with
     * it, and may not place the person in a unit twice. Keyed by HSA-id, by huvudman and employee number, and by
     * huvudman and e-mail (all addresses, so that two people with one address are caught).
     */
    private static final class Seen {
        final Map<String, Integer> byHsaId = new HashMap<>();
        final Map<String, Integer> byNumber = new HashMap<>();
        final Map<String, Integer> byEmail = new HashMap<>();
        final Map<Integer, SeenPerson> people = new HashMap<>();

        /** The first row of the person the row names, or null for someone new (the strongest key decides). */
        Integer personOf(PersonRow row) {
            PersonIdentity id = row.identity();
            if (id.hsaId() != null) {
                return byHsaId.get(id.hsaId());
            }
            if (id.employeeNumber() != null) {
                return byNumber.get(row.huvudmanId() + "|" + id.employeeNumber());
            }
            return byEmail.get(row.huvudmanId() + "|" + id.emailKey());
        }
    }

    private record SeenPerson(PersonRow first, Map<Long, Integer> units) {
    }

    /**
     * Validates the file whole and, when it has no bad row, writes it. A full import that would mark more than the set
     * share of the organisation's active people as left is held instead, with the question to the coordinator, until
     * it is run again {@code confirmed}: a file with a header and nothing else would otherwise end everyone's training.
     */
    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress, boolean confirmed) throws IOException {
        Lookups lookups = lookups(rosterImport.scopeOrgId());
        int total = RosterFile.countRows(file, REQUIRED);
        progress.start(RosterImportStatus.VALIDATING, total);
        RowErrors errors = new RowErrors();
        Seen seen = new Seen();
        Map<Long, Integer> listed = new HashMap<>();
        List<PersonRow> toCheck = new ArrayList<>();
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            requireIdentityColumn(csv);
            int processed = 0;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                PersonRow parsed = parse(row, csv.header().size(), lookups, errors);
                if (parsed != null && sameFile(parsed, seen, lookups, errors)) {
                    toCheck.add(parsed);
                    if (toCheck.size() == BATCH) {
                        checkRecorded(toCheck, rosterImport.scopeOrgId(), seen, listed, errors);
                    }
                }
                progress.rowsDone(++processed);
            }
        }
        checkRecorded(toCheck, rosterImport.scopeOrgId(), seen, listed, errors);
        if (!errors.isEmpty()) {
            return ImportOutcome.rejected(errors);
        }
        if (rosterImport.fullImport() && !confirmed) {
            String question = confirmationQuestion(rosterImport.scopeOrgId(), listed.keySet());
            if (question != null) {
                return ImportOutcome.held(question);
            }
        }
        progress.start(RosterImportStatus.WRITING, total);
        return write(rosterImport, file, lookups, seen, progress);
    }

    /** Without any of the three identity columns no row could name a person: say so once, for the header. */
    private static void requireIdentityColumn(CsvReader csv) throws CsvReader.MalformedCsvException {
        if (!csv.header().contains("hsa_id") && !csv.header().contains("anstallningsnummer") && !csv.header().contains("epost")) {
            throw new CsvReader.MalformedCsvException(1, "rubrikraden saknar en kolumn som anger vem personen är: "
                    + "hsa_id, anställningsnummer eller epost");
        }
    }

    /**
     * Who of the organisation's active people a full import would mark as left: those it does not list whose current
     * placements all lie within it (someone also placed elsewhere only loses the placements here). The one home of that
     * rule for both the question and the writing.
     */
    private static final String LEAVING = """
            p.status = 'ACTIVE'
              AND EXISTS (SELECT 1 FROM placement pl JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = :scope
                          WHERE pl.person_id = p.id AND pl.ended_on IS NULL)
              AND NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.person_id = p.id AND pl.ended_on IS NULL
                              AND NOT EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :scope AND c.descendant_id = pl.org_node_id))""";

    /** The question to ask before a full import marks more than the set share of the organisation as left, or null. */
    private String confirmationQuestion(long scopeOrgId, Set<Long> listed) {
        int[] counts = new int[2];
        sql.list("SELECT p.id, 1 AS active FROM person p WHERE p.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM placement pl "
                + "JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = :scope "
                + "WHERE pl.person_id = p.id AND pl.ended_on IS NULL)", NamedSql.with("scope", scopeOrgId), row -> counts[0]++);
        sql.list("SELECT p.id FROM person p WHERE " + LEAVING, NamedSql.with("scope", scopeOrgId), row -> {
            if (!listed.contains(row.number("id"))) {
                counts[1]++;
            }
            return null;
        });
        int active = counts[0];
        int leaving = counts[1];
        if (leaving == 0 || leaving <= confirmLeftShare * active) {
            return null;
        }
        return "Importen skulle markera " + leaving + " av " + active + " personer (" + Math.round(100.0 * leaving / active)
                + " %) som slutade. Stämmer det?";
    }

    private Lookups lookups(Long scopeOrgId) {
        Map<String, List<Unit>> byCode = new HashMap<>();
        Map<String, Unit> byHsaId = new HashMap<>();
        Map<Long, Unit> byId = new HashMap<>();
        sql.list("""
                SELECT n.id, n.code, n.hsa_id, n.huvudman_id, n.name FROM org_node n
                WHERE :scope IS NULL OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :scope AND c.descendant_id = n.id)""",
                NamedSql.with("scope", scopeOrgId), row -> {
                    Unit unit = new Unit(row.number("id"), row.nullableNumber("huvudman_id"), row.string("name"));
                    byCode.computeIfAbsent(row.string("code"), c -> new ArrayList<>(1)).add(unit);
                    byId.put(unit.id(), unit);
                    if (row.string("hsa_id") != null) {
                        byHsaId.put(row.string("hsa_id"), unit);
                    }
                    return null;
                });
        Map<Long, String> huvudmen = new HashMap<>();
        sql.list("SELECT n.id, n.code FROM org_node n WHERE n.id IN (SELECT h.huvudman_id FROM org_node h)", Map.of(),
                row -> huvudmen.put(row.number("id"), row.string("code")));
        Map<String, Long> audiences = new HashMap<>();
        Set<Long> owned = new HashSet<>();
        sql.list("SELECT code, id, owner_org_id FROM audience", Map.of(), row -> {
            audiences.put(row.string("code"), row.number("id"));
            if (row.nullableNumber("owner_org_id") != null) {
                owned.add(row.number("id"));
            }
            return null;
        });
        Map<Long, Set<Long>> usable = new HashMap<>();
        return new Lookups(byCode, byHsaId, byId, huvudmen, audiences, Set.copyOf(owned), unit -> usable.computeIfAbsent(unit,
                u -> usableAudiences.usableUnder(u).stream().map(Audience::id).collect(Collectors.toSet())));
    }

    /** Checks one row's fields; adds its problems to {@code errors} and returns it parsed when it has none. */
    private static PersonRow parse(CsvReader.Row row, int columns, Lookups lookups, RowErrors errors) {
        int before = errors.count();
        int n = row.number();
        if (row.fieldCount() != columns) {
            errors.add(n, null, "raden har " + row.fieldCount() + " fält men rubrikraden har " + columns);
            return null;
        }
        int beforeHsaId = errors.count();
        String hsaId = RosterFields.text(row, "hsa_id", "HSA-id", PersonRecords.HSA_ID_LENGTH, false, errors);
        if (errors.count() == beforeHsaId && !hsaId.isEmpty() && !PersonRecords.HSA_ID.matcher(hsaId).matches()) {
            errors.add(n, "hsa_id", "ogiltigt HSA-id '" + RosterFields.shown(hsaId) + "' (väntat format: SE2321000016-1003)");
        }
        String number = RosterFields.text(row, "anstallningsnummer", "anställningsnumret",
                PersonRecords.EMPLOYEE_NUMBER_LENGTH, false, errors);
        String givenName = RosterFields.text(row, "fornamn", "förnamn", PersonRecords.NAME_LENGTH, true, errors);
        String familyName = RosterFields.text(row, "efternamn", "efternamn", PersonRecords.NAME_LENGTH, true, errors);
        int beforeEmail = errors.count();
        String email = RosterFields.text(row, "epost", "e-postadressen", PersonRecords.EMAIL_LENGTH, false, errors);
        if (errors.count() == beforeEmail && !email.isEmpty() && !PersonRecords.EMAIL.matcher(email).matches()) {
            errors.add(n, "epost", "ogiltig e-postadress '" + RosterFields.shown(email) + "'");
        } else if (errors.count() == beforeEmail && email.isEmpty() && hsaId.isEmpty() && number.isEmpty()) {
            errors.add(n, "epost", "personen saknar identitet: e-postadress krävs när både HSA-id och anställningsnummer saknas");
        }
        Unit unit = unit(row, lookups, errors);
        List<Long> audienceIds = audiences(row, unit == null ? null : unit.id(), lookups, errors);
        LocalDate orgStart = RosterFields.date(row, "startdatum_organisation", true, errors);
        LocalDate roleStart = RosterFields.date(row, "startdatum_roll", false, errors);
        if (errors.count() > before) {
            return null;
        }
        return new PersonRow(n, unit.huvudmanId(), new PersonIdentity(hsaId, number, email), givenName, familyName,
                unit.id(), audienceIds, orgStart, roleStart == null ? orgStart : roleStart);
    }

    /**
     * The unit the row names: by its HSA-id, or by its code within the huvudman (the file's {@code huvudman} column
     * choosing among several huvudmän that use the code, in an import for more than one of them).
     */
    private static Unit unit(CsvReader.Row row, Lookups lookups, RowErrors errors) {
        int before = errors.count();
        String code = RosterFields.text(row, "enhet", "enhetskod", 64, false, errors);
        String huvudman = RosterFields.text(row, "huvudman", "huvudman", 64, false, errors);
        if (errors.count() > before) {
            return null;
        }
        if (code.isEmpty()) {
            errors.add(row.number(), "enhet", "enhetskod saknas");
            return null;
        }
        List<Unit> candidates = lookups.unitsByCode().getOrDefault(code, List.of());
        if (!huvudman.isEmpty()) {
            candidates = candidates.stream()
                    .filter(u -> u.huvudmanId() != null && huvudman.equals(lookups.huvudmanCodes().get(u.huvudmanId())))
                    .toList();
        }
        Unit unit = candidates.size() == 1 ? candidates.get(0) : null;
        if (candidates.isEmpty() && huvudman.isEmpty()) {
            unit = lookups.unitsByHsaId().get(code);
        }
        if (candidates.size() > 1) {
            errors.add(row.number(), "enhet", "enhetskoden '" + RosterFields.shown(code) + "' används av flera huvudmän ("
                    + String.join(", ", candidates.stream().map(u -> lookups.huvudmanCodes().get(u.huvudmanId())).sorted().toList())
                    + "); ange huvudmannens kod i kolumnen huvudman");
            return null;
        }
        if (unit == null) {
            errors.add(row.number(), "enhet", "enheten '" + RosterFields.shown(code) + "' finns inte i den valda organisationen"
                    + (huvudman.isEmpty() ? "" : " hos huvudmannen '" + RosterFields.shown(huvudman) + "'"));
            return null;
        }
        if (unit.huvudmanId() == null) {
            errors.add(row.number(), "enhet", "enheten '" + RosterFields.shown(code) + "' hör inte till någon huvudman; "
                    + "personer placeras på en enhet hos en region, kommun, stadsdel eller vårdgivare");
            return null;
        }
        return unit;
    }

    private static List<Long> audiences(CsvReader.Row row, Long unitId, Lookups lookups, RowErrors errors) {
        int before = errors.count();
        String text = RosterFields.text(row, "malgrupper", "målgrupper", MAX_AUDIENCES * 41, false, errors);
        if (errors.count() > before) {
            return List.of();
        }
        if (text.isEmpty()) {
            errors.add(row.number(), "malgrupper", "minst en målgrupp krävs (t.ex. LICENSED)");
            return List.of();
        }
        String[] codes = AUDIENCE_SEPARATOR.split(text, MAX_AUDIENCES + 1);
        if (codes.length > MAX_AUDIENCES) {
            errors.add(row.number(), "malgrupper", "fler än " + MAX_AUDIENCES + " målgrupper");
            return List.of();
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String code : codes) {
            Long id = lookups.audiences().get(code.toUpperCase(Locale.ROOT));
            // Another organisation's own audience is answered as an unknown code.
            if (id != null && lookups.owned().contains(id) && (unitId == null || !lookups.usableAtUnit().apply(unitId).contains(id))) {
                id = null;
            }
            if (id == null) {
                errors.add(row.number(), "malgrupper", "okänd målgrupp '" + RosterFields.shown(code) + "'");
            } else {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /**
     * The rules between the rows of one file: rows of one person (one identity) agree on who they are, place them in a
     * unit once, and no two people share an employee number or an e-mail address within a huvudman. Records the row.
     */
    private static boolean sameFile(PersonRow row, Seen seen, Lookups lookups, RowErrors errors) {
        PersonIdentity id = row.identity();
        int n = row.row();
        String numberKey = id.employeeNumber() == null ? null : row.huvudmanId() + "|" + id.employeeNumber();
        String emailKey = id.email() == null ? null : row.huvudmanId() + "|" + id.emailKey();
        Integer person = seen.personOf(row);
        if (person == null && numberKey != null && seen.byNumber.containsKey(numberKey)) {
            errors.add(n, "anstallningsnummer", "anställningsnumret " + id.employeeNumber()
                    + " finns redan på rad " + seen.byNumber.get(numberKey) + " för en person med ett annat HSA-id");
            return false;
        }
        if (person != null) {
            PersonRow first = seen.people.get(person).first();
            String[] differs = differs(first, row);
            if (differs != null) {
                errors.add(n, differs[0], "raden anger samma person som rad " + person + " men med " + differs[1]);
                return false;
            }
            Integer twice = seen.people.get(person).units().putIfAbsent(row.orgNodeId(), n);
            if (twice != null) {
                errors.add(n, "enhet", "personen är redan placerad på enheten " + lookups.unitsById().get(row.orgNodeId()).name()
                        + " på rad " + twice);
                return false;
            }
            return true;
        }
        // Two people may share an address (a shared mailbox) while both have a stronger key; not when either is known by
        // the address alone, for then it would name both.
        Integer sharing = emailKey == null ? null : seen.byEmail.get(emailKey);
        if (sharing != null && (id.byEmail() || seen.people.get(sharing).first().identity().byEmail())) {
            errors.add(n, "epost", "e-postadressen " + id.email() + " används redan av en annan person på rad " + sharing);
            return false;
        }
        Map<Long, Integer> units = new HashMap<>(2);
        units.put(row.orgNodeId(), n);
        seen.people.put(n, new SeenPerson(row, units));
        if (id.hsaId() != null) {
            seen.byHsaId.put(id.hsaId(), n);
        }
        if (numberKey != null) {
            seen.byNumber.put(numberKey, n);
        }
        if (emailKey != null && (sharing == null || id.byEmail())) {
            seen.byEmail.put(emailKey, n);
        }
        return true;
    }

    /** What a later row of a person says differently from the first (the column and what), or null. */
    private static String[] differs(PersonRow first, PersonRow row) {
        if (first.huvudmanId() != row.huvudmanId()) {
            return new String[] {"enhet", "en enhet hos en annan huvudman"};
        }
        if (!Objects.equals(first.identity().hsaId(), row.identity().hsaId())) {
            return new String[] {"hsa_id", "ett annat HSA-id"};
        }
        if (!Objects.equals(first.identity().employeeNumber(), row.identity().employeeNumber())) {
            return new String[] {"anstallningsnummer", "ett annat anställningsnummer"};
        }
        if (!Objects.equals(first.identity().emailKey(), row.identity().emailKey())) {
            return new String[] {"epost", "en annan e-postadress"};
        }
        if (!first.givenName().equals(row.givenName()) || !first.familyName().equals(row.familyName())) {
            return new String[] {"fornamn", "ett annat namn"};
        }
        return null;
    }

    /**
     * The rules against who is recorded already (the identity rule) and, for a file for one organisation, that it does
     * not take over people placed only elsewhere: their record and history belong there. Collects who the file lists.
     */
    private void checkRecorded(List<PersonRow> rows, Long scopeOrgId, Seen seen, Map<Long, Integer> listed, RowErrors errors) {
        if (rows.isEmpty()) {
            return;
        }
        List<IdentityRule.Match> matches = identities.match(rows.stream()
                .map(r -> new IdentityRule.Wanted(r.huvudmanId(), r.identity())).toList());
        Map<Long, PersonRow> found = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            IdentityRule.Match match = matches.get(i);
            PersonRow row = rows.get(i);
            if (match.refused()) {
                errors.add(row.row(), column(match.conflictField()), match.conflict());
            } else if (match.personId() != null) {
                // Two people of the file may not turn out to be one recorded person (one found by an address the other
                // also gives): the file would write both onto one.
                Integer person = seen.personOf(row);
                Integer other = listed.putIfAbsent(match.personId(), person);
                if (other != null && !other.equals(person)) {
                    errors.add(row.row(), "epost", "raden och rad " + other + " anger olika personer men gäller samma "
                            + "registrerade person; kontrollera HSA-id, anställningsnummer och e-postadress");
                } else {
                    found.putIfAbsent(match.personId(), row);
                }
            }
        }
        if (scopeOrgId != null && !found.isEmpty()) {
            NamedSql.Params params = NamedSql.with("scope", scopeOrgId);
            String in = IdentityRule.names("p", List.copyOf(found.keySet()), params);
            Set<Long> here = new HashSet<>(sql.list("""
                    SELECT DISTINCT pl.person_id FROM placement pl
                    JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = :scope
                    WHERE pl.ended_on IS NULL AND pl.person_id IN (""" + in + ")", params, row -> row.number("person_id")));
            found.forEach((personId, row) -> {
                if (!here.contains(personId)) {
                    PersonIdentity id = row.identity();
                    errors.add(row.row(), id.hsaId() != null ? "hsa_id" : id.employeeNumber() != null ? "anstallningsnummer" : "epost",
                            (id.hsaId() != null ? "HSA-id:t " + id.hsaId() : id.employeeNumber() != null
                                    ? "anställningsnumret " + id.employeeNumber() : "e-postadressen " + id.email())
                                    + " hör till en person i en annan del av organisationen och kan inte användas i den här importen");
                }
            });
        }
        rows.clear();
    }

    private static String column(String field) {
        return switch (field) {
            case "hsaId" -> "hsa_id";
            case "employeeNumber" -> "anstallningsnummer";
            case "email" -> "epost";
            default -> null;
        };
    }

    /**
     * The one transaction of the import: all its rows, and its success (written by {@code progress} as the last
     * statement), committed together or not at all. Checked exceptions are thrown unchecked, so that they roll back.
     *
     * <p>Its write set, estimated by rows times row size: a new person is a person row of about 150 bytes, a placement of
     * about 60 and a placement audience of about 20, each with a key hash per unique key, and the homes derived at the
     * end rewrite the person row (before and after image) and add its audiences: some 500 to 700 bytes, so 5 to 7 MB per
     * 10,000 rows. On Galera it is streamed ({@link LargeTransactions}): replicated a fragment at a time, whatever the
     * size of the file, and seen by readers on every node at its commit. Validation and the lookups run before this
     * transaction.
     * The file is parsed here a second time (from this instance working copy, so that memory grows with the people,
     * never with the rows), which lengthens the transaction but adds nothing to its write set.
     */
    @Transactional
    ImportOutcome write(RosterImport rosterImport, Path file, Lookups lookups, Seen seen, ImportProgress progress) {
        return large.streamed(() -> writeAll(rosterImport, file, lookups, seen, progress));
    }

    private ImportOutcome writeAll(RosterImport rosterImport, Path file, Lookups lookups, Seen seen, ImportProgress progress) {
        progress.beginWrite();
        long started = System.nanoTime();
        Written written = new Written();
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            List<PersonRow> batch = new ArrayList<>(BATCH);
            int processed = 0;
            RowErrors ignored = new RowErrors();
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                batch.add(parse(row, csv.header().size(), lookups, ignored));
                if (batch.size() == BATCH) {
                    writeBatch(batch, rosterImport.id(), seen, written);
                    processed += batch.size();
                    batch.clear();
                    progress.rowsDone(processed);
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(batch, rosterImport.id(), seen, written);
                progress.rowsDone(processed + batch.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        NamedSql.Params params = NamedSql.with("import", rosterImport.id()).and("scope", rosterImport.scopeOrgId())
                .and("today", today).and("by", ENDED_BY);
        // The people the file lists are placed exactly where it says, within its reach: their other placements from
        // files there end (a move). Placements from SCIM or by hand, and those outside the file's organisation, stay.
        sql.update("""
                UPDATE placement pl JOIN person p ON p.id = pl.person_id AND p.last_import_id = :import
                SET pl.ended_on = :today, pl.ended_by = :by, pl.last_import_id = :import
                WHERE pl.ended_on IS NULL AND pl.source = 'IMPORT' AND (pl.last_import_id IS NULL OR pl.last_import_id <> :import)
                  AND (:scope IS NULL OR EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :scope AND c.descendant_id = pl.org_node_id))""",
                params);
        Set<Long> left = new HashSet<>();
        if (rosterImport.fullImport()) {
            left.addAll(markMissingAsLeft(params));
        }
        long rowsWritten = System.nanoTime();
        homes.deriveForImport(rosterImport.id());
        LOG.info("People import {}: rows written in {} ms, homes and audiences derived in {} ms", rosterImport.id(),
                (rowsWritten - started) / 1_000_000, (System.nanoTime() - rowsWritten) / 1_000_000);
        Set<Long> changed = new HashSet<>(sql.list("SELECT DISTINCT person_id FROM placement WHERE last_import_id = :import",
                params, row -> row.number("person_id")));
        changed.addAll(left);
        if (!changed.isEmpty()) {
            records.announce(changed, "personalimport");
        }
        return progress.succeeded(ImportOutcome.written(written.created, written.updated, left.size()));
    }

    private static final class Written {
        int created;
        int updated;
        /** Each person's id by their first row in the file, once written. */
        final Map<Integer, Long> ids = new HashMap<>();
    }

    private void writeBatch(List<PersonRow> batch, long importId, Seen seen, Written written) {
        // The people of the batch, each once, by their first row in the file.
        Map<Integer, PersonRow> people = new LinkedHashMap<>();
        for (PersonRow row : batch) {
            people.putIfAbsent(seen.personOf(row), row);
        }
        List<Integer> unknown = people.keySet().stream().filter(first -> !written.ids.containsKey(first)).toList();
        List<Integer> created = new ArrayList<>();
        if (!unknown.isEmpty()) {
            List<IdentityRule.Match> matches = identities.match(unknown.stream()
                    .map(first -> wanted(people.get(first))).toList());
            List<NamedSql.Params> inserts = new ArrayList<>();
            for (int i = 0; i < unknown.size(); i++) {
                Long id = matches.get(i).personId();
                if (id == null) {
                    PersonRow row = people.get(unknown.get(i));
                    created.add(unknown.get(i));
                    inserts.add(personValues(row, importId).and("unit", row.orgNodeId()).and("orgStart", row.orgStart())
                            .and("roleStart", row.roleStart()));
                } else {
                    written.ids.put(unknown.get(i), id);
                    written.updated++;
                }
            }
            sql.batch("""
                    INSERT INTO person (hsa_id, huvudman_id, employee_number, given_name, family_name, email, org_node_id,
                                        org_start_date, role_start_date, status, left_on, last_import_id)
                    VALUES (:hsa, :huvudman, :number, :given, :family, :email, :unit, :orgStart, :roleStart, 'ACTIVE', NULL, :import)""",
                    inserts);
            written.created += created.size();
            if (!created.isEmpty()) {
                List<IdentityRule.Match> made = identities.match(created.stream().map(first -> wanted(people.get(first))).toList());
                for (int i = 0; i < created.size(); i++) {
                    written.ids.put(created.get(i), Objects.requireNonNull(made.get(i).personId()));
                }
            }
        }
        Set<Integer> fresh = Set.copyOf(created);
        List<NamedSql.Params> updates = new ArrayList<>();
        people.forEach((first, row) -> {
            if (!fresh.contains(first)) {
                updates.add(personValues(row, importId).and("person", written.ids.get(first)));
            }
        });
        // An identity value the file leaves out keeps the recorded one: a file without HSA-ids does not erase them.
        sql.batch("""
                UPDATE person SET hsa_id = COALESCE(:hsa, hsa_id), huvudman_id = :huvudman,
                    employee_number = COALESCE(:number, employee_number), given_name = :given, family_name = :family,
                    email = :email, status = 'ACTIVE', left_on = NULL, last_import_id = :import
                WHERE id = :person""", updates);
        List<NamedSql.Params> placements = new ArrayList<>(batch.size());
        for (PersonRow row : batch) {
            placements.add(NamedSql.with("person", written.ids.get(seen.personOf(row))).and("unit", row.orgNodeId())
                    .and("orgStart", row.orgStart()).and("roleStart", row.roleStart()).and("import", importId));
        }
        // One current placement per person and unit (the unique key): a placement there from another source is taken over.
        sql.batch("""
                INSERT INTO placement (person_id, org_node_id, org_start_date, role_start_date, source, last_import_id)
                VALUES (:person, :unit, :orgStart, :roleStart, 'IMPORT', :import)
                ON DUPLICATE KEY UPDATE org_start_date = VALUES(org_start_date), role_start_date = VALUES(role_start_date),
                    source = 'IMPORT', last_import_id = VALUES(last_import_id)""", placements);
        NamedSql.Params params = NamedSql.with("import", importId);
        String in = IdentityRule.names("p", List.copyOf(new HashSet<>(placements.stream().map(p -> p.get("person")).toList())), params);
        Map<String, Long> placementIds = new HashMap<>();
        sql.list("SELECT id, person_id, org_node_id FROM placement WHERE ended_on IS NULL AND last_import_id = :import "
                + "AND person_id IN (" + in + ")", params,
                row -> placementIds.put(row.number("person_id") + "|" + row.number("org_node_id"), row.number("id")));
        List<NamedSql.Params> links = new ArrayList<>();
        List<Long> batchPlacements = new ArrayList<>(batch.size());
        for (PersonRow row : batch) {
            long placementId = placementIds.get(written.ids.get(seen.personOf(row)) + "|" + row.orgNodeId());
            batchPlacements.add(placementId);
            for (Long audience : row.audienceIds()) {
                links.add(NamedSql.with("placement", placementId).and("audience", audience));
            }
        }
        NamedSql.Params clear = new NamedSql.Params();
        sql.update("DELETE FROM placement_audience WHERE placement_id IN (" + IdentityRule.names("p", batchPlacements, clear) + ")",
                clear);
        sql.batch("INSERT INTO placement_audience (placement_id, audience_id) VALUES (:placement, :audience)", links);
    }

    private static IdentityRule.Wanted wanted(PersonRow row) {
        return new IdentityRule.Wanted(row.huvudmanId(), row.identity());
    }

    private static NamedSql.Params personValues(PersonRow row, long importId) {
        return NamedSql.with("hsa", row.identity().hsaId()).and("huvudman", row.huvudmanId())
                .and("number", row.identity().employeeNumber()).and("given", row.givenName()).and("family", row.familyName())
                .and("email", row.identity().email()).and("import", importId);
    }

    /**
     * A full import lists everyone in its organisation: whoever it does not list, and who works nowhere else, has left
     * (their placements stay as they were, nobody is deleted); someone it does not list who is also placed elsewhere
     * loses only the placements from files here. Answers who was marked as left.
     */
    private List<Long> markMissingAsLeft(NamedSql.Params params) {
        sql.update("""
                UPDATE placement pl JOIN person p ON p.id = pl.person_id
                SET pl.ended_on = :today, pl.ended_by = :by, pl.last_import_id = :import
                WHERE pl.ended_on IS NULL AND pl.source = 'IMPORT' AND p.status = 'ACTIVE'
                  AND (p.last_import_id IS NULL OR p.last_import_id <> :import)
                  AND EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :scope AND c.descendant_id = pl.org_node_id)
                  AND EXISTS (SELECT 1 FROM placement o WHERE o.person_id = p.id AND o.ended_on IS NULL
                              AND NOT EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = :scope AND c.descendant_id = o.org_node_id))""",
                params);
        String unlisted = LEAVING + " AND (p.last_import_id IS NULL OR p.last_import_id <> :import)";
        List<Long> leaving = sql.list("SELECT p.id FROM person p WHERE " + unlisted, params, row -> row.number("id"));
        sql.update("UPDATE person p SET p.status = 'LEFT', p.left_on = :today WHERE " + unlisted, params);
        return leaving;
    }
}

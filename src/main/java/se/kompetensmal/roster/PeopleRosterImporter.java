package se.kompetensmal.roster;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * Imports people from CSV. The whole file is validated first; only a file without a single bad row is written, in one
 * transaction, in batches, streaming the file twice so that memory does not grow with its length.
 */
@Singleton
// Reads outside a transaction still need a connection of their own.
@Connectable
class PeopleRosterImporter {

    static final List<String> REQUIRED = List.of("hsa_id", "fornamn", "efternamn", "enhet", "malgrupper",
            "startdatum_organisation");

    private static final Pattern HSA_ID = Pattern.compile("SE\\d{10}-[A-Za-z0-9]{1,31}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern AUDIENCE_SEPARATOR = Pattern.compile("\\s*[|+]\\s*");
    private static final int BATCH = 1_000;
    /** The length of the column; a valid HSA-id is shorter still. */
    private static final int HSA_ID_LENGTH = 64;
    /** More audiences than this for one person is a broken file, not a person. */
    static final int MAX_AUDIENCES = 20;

    private final JdbcOperations jdbc;
    private final double confirmLeftShare;
    private final Audiences usableAudiences;

    PeopleRosterImporter(JdbcOperations jdbc, Audiences usableAudiences,
                         @Value("${kompetensmal.import.confirm-left-share:0.10}") double confirmLeftShare) {
        this.jdbc = jdbc;
        this.usableAudiences = usableAudiences;
        this.confirmLeftShare = confirmLeftShare;
    }

    /** One valid row, ready to write. */
    private record PersonRow(String hsaId, String givenName, String familyName, String email, long orgNodeId,
                             List<Long> audienceIds, LocalDate orgStart, LocalDate roleStart) {
    }

    /**
     * What a row is checked against: the units within reach, the audiences by code, those of them an organisation owns,
     * and which audiences are usable at a unit (asked only for rows that name an owned one).
     */
    record Lookups(Map<String, Long> units, Map<String, Long> audiences, Set<Long> owned,
                   Function<Long, Set<Long>> usableAtUnit) {
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
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> toCheck = new HashMap<>();
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            int processed = 0;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                PersonRow parsed = parse(row, csv.header().size(), lookups, seen, errors);
                if (parsed != null && rosterImport.scopeOrgId() != null) {
                    toCheck.put(parsed.hsaId(), row.number());
                    if (toCheck.size() == BATCH) {
                        refuseOtherOrganisationsPeople(toCheck, rosterImport.scopeOrgId(), errors);
                    }
                }
                progress.rowsDone(++processed);
            }
        }
        if (!toCheck.isEmpty()) {
            refuseOtherOrganisationsPeople(toCheck, rosterImport.scopeOrgId(), errors);
        }
        if (!errors.isEmpty()) {
            return ImportOutcome.rejected(errors);
        }
        if (rosterImport.fullImport() && !confirmed) {
            String question = confirmationQuestion(rosterImport.scopeOrgId(), seen.keySet());
            if (question != null) {
                return ImportOutcome.held(question);
            }
        }
        progress.start(RosterImportStatus.WRITING, total);
        return write(rosterImport, file, lookups, progress);
    }

    /** The question to ask before a full import marks more than the set share of the organisation as left, or null. */
    private String confirmationQuestion(long scopeOrgId, Set<String> listed) {
        int[] activeAndLeaving = jdbc.prepareStatement("""
                SELECT p.hsa_id FROM person p JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                WHERE p.status = 'ACTIVE'""", select -> {
            select.setLong(1, scopeOrgId);
            int[] counts = new int[2];
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts[0]++;
                    if (!listed.contains(rs.getString("hsa_id"))) {
                        counts[1]++;
                    }
                }
            }
            return counts;
        });
        int active = activeAndLeaving[0];
        int leaving = activeAndLeaving[1];
        if (leaving == 0 || leaving <= confirmLeftShare * active) {
            return null;
        }
        return "Importen skulle markera " + leaving + " av " + active + " personer (" + Math.round(100.0 * leaving / active)
                + " %) som slutade. Stämmer det?";
    }

    private Lookups lookups(Long scopeOrgId) {
        return jdbc.execute(connection -> {
            Map<String, Long> units = new HashMap<>();
            String sql = scopeOrgId == null ? "SELECT code, id FROM org_node"
                    : "SELECT n.code, n.id FROM org_node n JOIN org_closure c ON c.descendant_id = n.id WHERE c.ancestor_id = ?";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (scopeOrgId != null) {
                    select.setLong(1, scopeOrgId);
                }
                readCodes(select, units);
            }
            Map<String, Long> audiences = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT code, id FROM audience")) {
                readCodes(select, audiences);
            }
            Map<String, Long> owned = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT code, id FROM audience WHERE owner_org_id IS NOT NULL")) {
                readCodes(select, owned);
            }
            Map<Long, Set<Long>> usable = new HashMap<>();
            return new Lookups(units, audiences, Set.copyOf(owned.values()), unit -> usable.computeIfAbsent(unit,
                    u -> usableAudiences.usableUnder(u).stream().map(Audience::id).collect(Collectors.toSet())));
        });
    }

    /**
     * A file for one organisation may not take over people recorded in another: their record and history belong there.
     * Checked a batch of HSA-ids at a time.
     */
    private void refuseOtherOrganisationsPeople(Map<String, Integer> rows, long scopeOrgId, RowErrors errors) {
        List<String> hsaIds = List.copyOf(rows.keySet());
        String sql = "SELECT p.hsa_id FROM person p WHERE p.hsa_id IN (" + String.join(",", Collections.nCopies(hsaIds.size(), "?"))
                + ") AND NOT EXISTS (SELECT 1 FROM org_closure c WHERE c.ancestor_id = ? AND c.descendant_id = p.org_node_id)";
        List<String> outside = jdbc.prepareStatement(sql, select -> {
            for (int i = 0; i < hsaIds.size(); i++) {
                select.setString(i + 1, hsaIds.get(i));
            }
            select.setLong(hsaIds.size() + 1, scopeOrgId);
            List<String> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        });
        outside.forEach(hsaId -> errors.add(new RowError(rows.get(hsaId), "hsa_id",
                "HSA-id:t " + hsaId + " kan inte användas i den här organisationen")));
        rows.clear();
    }

    private static void readCodes(PreparedStatement select, Map<String, Long> into) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                into.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    /** Checks one row; adds its problems to {@code errors} and returns it parsed when it has none. */
    private static PersonRow parse(CsvReader.Row row, int columns, Lookups lookups, Map<String, Integer> seen,
                                   RowErrors errors) {
        int before = errors.count();
        int n = row.number();
        if (row.fieldCount() != columns) {
            errors.add(n, null, "raden har " + row.fieldCount() + " fält men rubrikraden har " + columns);
            return null;
        }
        String hsaId = RosterFields.text(row, "hsa_id", "HSA-id", HSA_ID_LENGTH, true, errors);
        if (errors.count() == before && !HSA_ID.matcher(hsaId).matches()) {
            errors.add(n, "hsa_id", "ogiltigt HSA-id '" + RosterFields.shown(hsaId) + "' (väntat format: SE2321000016-1003)");
        } else if (errors.count() == before) {
            Integer earlier = seen.putIfAbsent(hsaId, n);
            if (earlier != null) {
                errors.add(n, "hsa_id", "HSA-id " + hsaId + " finns redan på rad " + earlier);
            }
        }
        String givenName = RosterFields.text(row, "fornamn", "förnamn", 100, true, errors);
        String familyName = RosterFields.text(row, "efternamn", "efternamn", 100, true, errors);
        int beforeEmail = errors.count();
        String email = RosterFields.text(row, "epost", "e-postadressen", 254, false, errors);
        if (errors.count() == beforeEmail && !email.isEmpty() && !EMAIL.matcher(email).matches()) {
            errors.add(n, "epost", "ogiltig e-postadress '" + RosterFields.shown(email) + "'");
        }
        int beforeUnit = errors.count();
        String unit = RosterFields.text(row, "enhet", "enhetskod", 64, false, errors);
        Long orgNodeId = lookups.units().get(unit);
        if (errors.count() > beforeUnit) {
            orgNodeId = null;
        } else if (unit.isEmpty()) {
            errors.add(n, "enhet", "enhetskod saknas");
        } else if (orgNodeId == null) {
            errors.add(n, "enhet", "enheten '" + unit + "' finns inte i den valda organisationen");
        }
        List<Long> audienceIds = audiences(row, orgNodeId, lookups, errors);
        LocalDate orgStart = RosterFields.date(row, "startdatum_organisation", true, errors);
        LocalDate roleStart = RosterFields.date(row, "startdatum_roll", false, errors);
        if (errors.count() > before) {
            return null;
        }
        return new PersonRow(hsaId, givenName, familyName, email.isEmpty() ? null : email, orgNodeId, audienceIds,
                orgStart, roleStart == null ? orgStart : roleStart);
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
            Long id = lookups.audiences().get(code.toUpperCase(java.util.Locale.ROOT));
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

    @Transactional
    ImportOutcome write(RosterImport rosterImport, Path file, Lookups lookups, ImportProgress progress) throws IOException {
        int[] counts = new int[3];
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            List<PersonRow> batch = new ArrayList<>(BATCH);
            int processed = 0;
            Map<String, Integer> seen = new HashMap<>();
            RowErrors ignored = new RowErrors();
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                batch.add(parse(row, csv.header().size(), lookups, seen, ignored));
                if (batch.size() == BATCH) {
                    writeBatch(batch, rosterImport.id(), counts);
                    processed += batch.size();
                    batch.clear();
                    progress.rowsDone(processed);
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(batch, rosterImport.id(), counts);
                progress.rowsDone(processed + batch.size());
            }
        }
        if (rosterImport.fullImport()) {
            counts[2] = markMissingAsLeft(rosterImport);
        }
        return ImportOutcome.written(counts[0], counts[1], counts[2]);
    }

    private void writeBatch(List<PersonRow> batch, long importId, int[] counts) {
        jdbc.execute(connection -> {
            List<String> hsaIds = batch.stream().map(PersonRow::hsaId).toList();
            int existing = idsByHsaId(connection, hsaIds).size();
            counts[0] += batch.size() - existing;
            counts[1] += existing;
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO person (hsa_id, given_name, family_name, email, org_node_id, org_start_date, role_start_date,
                                        status, left_on, last_import_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', NULL, ?)
                    ON DUPLICATE KEY UPDATE given_name = VALUES(given_name), family_name = VALUES(family_name),
                        email = VALUES(email), org_node_id = VALUES(org_node_id), org_start_date = VALUES(org_start_date),
                        role_start_date = VALUES(role_start_date), status = 'ACTIVE', left_on = NULL,
                        last_import_id = VALUES(last_import_id)""")) {
                for (PersonRow p : batch) {
                    upsert.setString(1, p.hsaId());
                    upsert.setString(2, p.givenName());
                    upsert.setString(3, p.familyName());
                    upsert.setString(4, p.email());
                    upsert.setLong(5, p.orgNodeId());
                    upsert.setDate(6, Date.valueOf(p.orgStart()));
                    upsert.setDate(7, Date.valueOf(p.roleStart()));
                    upsert.setLong(8, importId);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            Map<String, Long> ids = idsByHsaId(connection, hsaIds);
            String placeholders = String.join(",", Collections.nCopies(batch.size(), "?"));
            try (PreparedStatement clear = connection.prepareStatement(
                    "DELETE FROM person_audience WHERE person_id IN (" + placeholders + ")");
                 PreparedStatement link = connection.prepareStatement(
                         "INSERT INTO person_audience (person_id, audience_id) VALUES (?, ?)")) {
                int i = 1;
                for (PersonRow p : batch) {
                    long personId = ids.get(p.hsaId());
                    clear.setLong(i++, personId);
                    for (Long audienceId : p.audienceIds()) {
                        link.setLong(1, personId);
                        link.setLong(2, audienceId);
                        link.addBatch();
                    }
                }
                clear.executeUpdate();
                link.executeBatch();
            }
            return null;
        });
    }

    private static Map<String, Long> idsByHsaId(Connection connection, List<String> hsaIds) throws SQLException {
        String placeholders = String.join(",", Collections.nCopies(hsaIds.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT hsa_id, id FROM person WHERE hsa_id IN (" + placeholders + ")")) {
            for (int i = 0; i < hsaIds.size(); i++) {
                select.setString(i + 1, hsaIds.get(i));
            }
            Map<String, Long> ids = new HashMap<>();
            readCodes(select, ids);
            return ids;
        }
    }

    /** A full import lists everyone in its organisation: whoever it does not list has left. Nobody is deleted. */
    private int markMissingAsLeft(RosterImport rosterImport) {
        return jdbc.prepareStatement("""
                UPDATE person p JOIN org_closure c ON c.descendant_id = p.org_node_id AND c.ancestor_id = ?
                SET p.status = 'LEFT', p.left_on = ?
                WHERE p.status = 'ACTIVE' AND (p.last_import_id IS NULL OR p.last_import_id <> ?)""", update -> {
            update.setLong(1, rosterImport.scopeOrgId());
            update.setDate(2, Date.valueOf(LocalDate.now(SwedishTime.ZONE)));
            update.setLong(3, rosterImport.id());
            return update.executeUpdate();
        });
    }
}

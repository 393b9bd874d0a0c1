package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.organization.OrganizationTree;
import se.kompetensmal.ops.LargeTransactions;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Imports organisational nodes from CSV: new nodes are added, known ones renamed or moved with their subtree. A parent
 * may come later in the file than its children; the result must be a tree, which is checked before writing.
 *
 * <p>Codes are unique within a huvudman, not across the instance (two municipalities may both have a unit 1001): a
 * huvudman's own code is unique among the huvudmän beside it (a city district's within its municipality), any other
 * node's within its huvudman. So a node is known by its key, the path of huvudman codes above it and its code
 * ({@code /K1|1001}), and a code in the file ({@code kod}, {@code overordnad}) is read within the huvudman the row
 * belongs to: named in the optional {@code huvudman} column, or else the one its parent chain leads to. A parent code
 * that several huvudmän within reach use is refused with a request to name the huvudman.
 */
@Singleton
class OrganisationRosterImporter {

    static final List<String> REQUIRED = List.of("kod", "namn", "typ", "overordnad");
    /** The length of the column org_node.hsa_id. */
    private static final int HSA_ID_LENGTH = 64;

    private final OrgNodeRepository nodes;
    private final OrganizationTree tree;
    private final NamedSql sql;
    private final LargeTransactions large;

    OrganisationRosterImporter(OrgNodeRepository nodes, OrganizationTree tree, NamedSql sql, LargeTransactions large) {
        this.large = large;
        this.nodes = nodes;
        this.tree = tree;
        this.sql = sql;
    }

    record NodeRow(int row, String code, String name, OrgNodeKind kind, String parentCode, String huvudman,
                   @Nullable String hsaId) {
    }

    /** A node already recorded, with the key its code is unique under. */
    private record Known(OrgNode node, String key, @Nullable String hsaId) {
    }

    /** Everything the rows are resolved against: recorded nodes by code and by key, and the file's rows by code. */
    private static final class Place {
        final Map<String, List<Known>> knownByCode = new HashMap<>();
        final Map<String, Known> knownByKey = new HashMap<>();
        final Map<String, List<NodeRow>> rowsByCode = new HashMap<>();
        final Map<Integer, String> rowKeys = new HashMap<>();
        final Set<Integer> resolving = new HashSet<>();
        /** Rows whose key could not be told, reported once. */
        final Set<Integer> failed = new HashSet<>();
        @Nullable Set<Long> reach;
    }

    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress) throws IOException {
        int total = RosterFile.countRows(file, REQUIRED);
        progress.start(RosterImportStatus.VALIDATING, total);
        RowErrors errors = new RowErrors();
        List<NodeRow> inOrder = new ArrayList<>();
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            int processed = 0;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                NodeRow parsed = parse(row, csv.header().size(), errors);
                if (parsed != null) {
                    inOrder.add(parsed);
                }
                progress.rowsDone(++processed);
            }
        }
        Place place = place(rosterImport.scopeOrgId());
        inOrder.forEach(r -> place.rowsByCode.computeIfAbsent(r.code(), c -> new ArrayList<>()).add(r));
        // Each row's key; a row whose huvudman cannot be told is reported and left out of the checks that follow.
        Map<String, NodeRow> rows = new HashMap<>();
        List<NodeRow> keyed = new ArrayList<>();
        for (NodeRow row : inOrder) {
            String key = key(row, place, errors);
            if (key == null) {
                continue;
            }
            NodeRow earlier = rows.putIfAbsent(key, row);
            if (earlier != null) {
                errors.add(row.row(), "kod", "koden " + row.code() + " finns redan på rad " + earlier.row());
            } else {
                keyed.add(row);
            }
        }
        checkHsaIds(keyed, place, errors);
        Map<String, String> parents = new HashMap<>();
        Map<String, OrgNodeKind> kinds = new HashMap<>();
        Map<Long, String> keysById = new HashMap<>();
        place.knownByKey.values().forEach(k -> keysById.put(k.node().id(), k.key()));
        place.knownByKey.values().forEach(k -> {
            parents.put(k.key(), k.node().parentId() == null ? "" : keysById.getOrDefault(k.node().parentId(), ""));
            kinds.put(k.key(), k.node().kind());
        });
        Map<String, String> parentKeys = new HashMap<>();
        for (NodeRow row : keyed) {
            String key = place.rowKeys.get(row.row());
            String parentKey = row.parentCode().isEmpty() ? "" : parentKey(row, place, errors);
            if (parentKey == null) {
                continue;
            }
            parents.put(key, parentKey);
            parentKeys.put(key, parentKey);
            kinds.put(key, row.kind());
        }
        String scopeKey = rosterImport.scopeOrgId() == null ? null : keysById.get(rosterImport.scopeOrgId());
        Map<String, Integer> depth = new HashMap<>();
        for (NodeRow row : keyed) {
            String key = place.rowKeys.get(row.row());
            if (!parentKeys.containsKey(key)) {
                continue;
            }
            // A file for one organisation may not rename or move another organisation's nodes.
            Known known = place.knownByKey.get(key);
            if (place.reach != null && known != null && !place.reach.contains(known.node().id())) {
                errors.add(new RowError(row.row(), "kod", "koden " + row.code() + " kan inte användas i den här organisationen"));
                continue;
            }
            checkPlace(row, key, parents, kinds, scopeKey, depth, errors);
        }
        if (!errors.isEmpty()) {
            return ImportOutcome.rejected(errors);
        }
        progress.start(RosterImportStatus.WRITING, total);
        // Parents before children, so that every parent exists when its child is written.
        keyed.sort(Comparator.comparingInt(r -> depth.get(place.rowKeys.get(r.row()))));
        return write(keyed, place, parentKeys, progress);
    }

    private Place place(@Nullable Long scopeOrgId) {
        Place place = new Place();
        Map<Long, OrgNode> byId = new HashMap<>();
        Map<Long, String> hsaIds = new HashMap<>();
        Map<Long, Long> scopes = new HashMap<>();
        sql.list("SELECT id, code_scope_id, hsa_id FROM org_node", Map.of(), row -> {
            scopes.put(row.number("id"), row.number("code_scope_id"));
            if (row.string("hsa_id") != null) {
                hsaIds.put(row.number("id"), row.string("hsa_id"));
            }
            return null;
        });
        nodes.findAll().forEach(n -> byId.put(n.id(), n));
        Map<Long, String> keys = new HashMap<>();
        for (OrgNode node : byId.values()) {
            Known known = new Known(node, key(node.id(), byId, scopes, keys), hsaIds.get(node.id()));
            place.knownByKey.put(known.key(), known);
            place.knownByCode.computeIfAbsent(node.code(), c -> new ArrayList<>()).add(known);
        }
        if (scopeOrgId != null) {
            place.reach = new HashSet<>();
            nodes.findSubtree(scopeOrgId).forEach(n -> place.reach.add(n.id()));
        }
        return place;
    }

    /** The key of a recorded node: the key of the huvudman its code is unique within, a bar, and its code. */
    private static String key(long id, Map<Long, OrgNode> byId, Map<Long, Long> scopes, Map<Long, String> keys) {
        String known = keys.get(id);
        if (known != null) {
            return known;
        }
        long scope = scopes.getOrDefault(id, 0L);
        String key = (scope == 0 || !byId.containsKey(scope) ? "" : huvudmanPath(scope, byId, scopes, keys)) + "|" + byId.get(id).code();
        keys.put(id, key);
        return key;
    }

    /** A huvudman as a scope: the scope it is unique within followed by its own code ({@code /K1}, {@code /K1/S2}). */
    private static String huvudmanPath(long huvudmanId, Map<Long, OrgNode> byId, Map<Long, Long> scopes, Map<Long, String> keys) {
        String key = key(huvudmanId, byId, scopes, keys);
        return key.replace("|", "/");
    }

    /** A scope from a huvudman node key: {@code /K1|S2} becomes {@code /K1/S2}. */
    private static String asScope(String huvudmanKey) {
        return huvudmanKey.replace("|", "/");
    }

    /**
     * The row's key: a huvudman (other than a city district) and the national level are unique across the instance; a
     * city district within its municipality (its parent); any other node within its huvudman, which the huvudman
     * column names or else the parent chain leads to. Null, with the row reported, when that cannot be told.
     */
    private String key(NodeRow row, Place place, RowErrors errors) {
        String known = place.rowKeys.get(row.row());
        if (known != null) {
            return known;
        }
        if (place.failed.contains(row.row())) {
            return null;
        }
        if (!place.resolving.add(row.row())) {
            return null;    // a cycle: reported by checkPlace through the parent's own row
        }
        try {
            String scope;
            if (row.kind() == OrgNodeKind.NATIONAL || (row.kind().isHuvudman() && row.kind() != OrgNodeKind.CITY_DISTRICT)) {
                scope = "";
            } else if (row.kind() == OrgNodeKind.CITY_DISTRICT) {
                scope = row.parentCode().isEmpty() ? "" : "/" + row.parentCode();
            } else if (!row.huvudman().isEmpty()) {
                scope = huvudmanScope(row, place, errors);
            } else if (row.parentCode().isEmpty()) {
                scope = "";
            } else {
                String parentKey = parentKey(row, place, errors);
                if (parentKey == null) {
                    place.failed.add(row.row());
                    return null;
                }
                OrgNodeKind parentKind = kindOf(parentKey, place);
                scope = parentKind != null && parentKind.isHuvudman() ? asScope(parentKey) : parentKey.substring(0, parentKey.lastIndexOf('|'));
            }
            if (scope == null) {
                place.failed.add(row.row());
                return null;
            }
            String key = scope + "|" + row.code();
            place.rowKeys.put(row.row(), key);
            return key;
        } finally {
            place.resolving.remove(row.row());
        }
    }

    /** The scope of the huvudman the row names in its huvudman column. */
    private String huvudmanScope(NodeRow row, Place place, RowErrors errors) {
        Set<String> found = new HashSet<>();
        place.knownByCode.getOrDefault(row.huvudman(), List.of()).stream().filter(k -> k.node().kind().isHuvudman())
                .forEach(k -> found.add(asScope(k.key())));
        for (NodeRow other : place.rowsByCode.getOrDefault(row.huvudman(), List.of())) {
            if (other.kind().isHuvudman() && other != row) {
                String key = key(other, place, errors);
                if (key != null) {
                    found.add(asScope(key));
                }
            }
        }
        if (found.size() != 1) {
            errors.add(row.row(), "huvudman", found.isEmpty() ? "huvudmannen '" + RosterFields.shown(row.huvudman())
                    + "' finns varken i filen eller i systemet" : "flera huvudmän har koden '" + row.huvudman() + "'");
            return null;
        }
        return found.iterator().next();
    }

    private static OrgNodeKind kindOf(String key, Place place) {
        Known known = place.knownByKey.get(key);
        if (known != null) {
            return known.node().kind();
        }
        for (NodeRow row : place.rowsByCode.getOrDefault(key.substring(key.lastIndexOf('|') + 1), List.of())) {
            if (key.equals(place.rowKeys.get(row.row()))) {
                return row.kind();
            }
        }
        return null;
    }

    /**
     * The key of the row's parent: among the file's rows and the recorded nodes with that code, the one in the row's
     * huvudman (or that huvudman itself) when the row names its huvudman; otherwise the only one. Null, reported, when
     * the parent is missing or several huvudmän use the code.
     */
    private String parentKey(NodeRow row, Place place, RowErrors errors) {
        Set<String> candidates = new HashSet<>();
        for (NodeRow other : place.rowsByCode.getOrDefault(row.parentCode(), List.of())) {
            String key = other == row ? null : key(other, place, errors);
            if (key != null) {
                candidates.add(key);
            }
        }
        for (Known known : place.knownByCode.getOrDefault(row.parentCode(), List.of())) {
            candidates.add(known.key());
        }
        if (candidates.size() > 1 && place.reach != null) {
            // Within a file for one organisation, a parent outside it is no candidate (it would be refused anyway).
            Set<String> within = new HashSet<>();
            for (String key : candidates) {
                Known known = place.knownByKey.get(key);
                if (known == null || place.reach.contains(known.node().id())) {
                    within.add(key);
                }
            }
            candidates = within;
        }
        if (candidates.size() > 1 && !row.huvudman().isEmpty()) {
            Set<String> inHuvudman = new HashSet<>();
            String wanted = "/" + row.huvudman();
            for (String key : candidates) {
                String scope = key.substring(0, key.lastIndexOf('|'));
                if (scope.endsWith(wanted) || asScope(key).endsWith(wanted)) {
                    inHuvudman.add(key);
                }
            }
            candidates = inHuvudman;
        }
        if (candidates.isEmpty()) {
            errors.add(new RowError(row.row(), "overordnad", "den överordnade '" + row.parentCode() + "' finns varken i filen eller i systemet"));
            return null;
        }
        if (candidates.size() > 1) {
            errors.add(new RowError(row.row(), "overordnad", "koden '" + row.parentCode()
                    + "' används av flera huvudmän; ange vilken i kolumnen huvudman"));
            return null;
        }
        return candidates.iterator().next();
    }

    /** A unit's HSA-id is unique across the instance: in the file and against the recorded units. */
    private static void checkHsaIds(List<NodeRow> rows, Place place, RowErrors errors) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Known> recorded = new HashMap<>();
        place.knownByKey.values().stream().filter(k -> k.hsaId() != null).forEach(k -> recorded.put(k.hsaId(), k));
        for (NodeRow row : rows) {
            if (row.hsaId() == null) {
                continue;
            }
            Integer earlier = seen.putIfAbsent(row.hsaId(), row.row());
            Known holder = recorded.get(row.hsaId());
            if (earlier != null) {
                errors.add(row.row(), "hsa_id", "HSA-id:t " + row.hsaId() + " finns redan på rad " + earlier);
            } else if (holder != null && !holder.key().equals(place.rowKeys.get(row.row()))) {
                errors.add(row.row(), "hsa_id", "HSA-id:t " + row.hsaId() + " används redan av " + holder.node().name());
            }
        }
    }

    private static NodeRow parse(CsvReader.Row row, int columns, RowErrors errors) {
        int n = row.number();
        if (row.fieldCount() != columns) {
            errors.add(n, null, "raden har " + row.fieldCount() + " fält men rubrikraden har " + columns);
            return null;
        }
        int before = errors.count();
        // The lengths of the columns code and name.
        String code = RosterFields.text(row, "kod", "kod", 64, true, errors);
        String name = RosterFields.text(row, "namn", "namn", 200, true, errors);
        int beforeKind = errors.count();
        String kindText = RosterFields.text(row, "typ", "typ", 40, false, errors);
        OrgNodeKind kind = OrgNodeKind.parse(kindText).orElse(null);
        if (kind == null && errors.count() == beforeKind) {
            errors.add(n, "typ", "okänd typ '" + kindText
                    + "' (nationell nivå, region, kommun, stadsdel, vårdgivare, förvaltning, verksamhet eller enhet)");
        }
        String parent = RosterFields.text(row, "overordnad", "överordnad", 64, false, errors);
        String huvudman = RosterFields.text(row, "huvudman", "huvudman", 64, false, errors);
        int beforeHsaId = errors.count();
        String hsaId = RosterFields.text(row, "hsa_id", "HSA-id", HSA_ID_LENGTH, false, errors);
        if (errors.count() == beforeHsaId && !hsaId.isEmpty() && !PersonRecords.HSA_ID.matcher(hsaId).matches()) {
            errors.add(n, "hsa_id", "ogiltigt HSA-id '" + RosterFields.shown(hsaId) + "' (väntat format: SE2321000016-1003)");
        }
        return errors.count() > before ? null : new NodeRow(n, code, name, kind, parent, huvudman, hsaId.isEmpty() ? null : hsaId);
    }

    /** Checks the row's parent and its way up the tree after the import; records each node's depth for writing. */
    private static void checkPlace(NodeRow row, String key, Map<String, String> parents, Map<String, OrgNodeKind> kinds,
                                   String scopeKey, Map<String, Integer> depth, RowErrors errors) {
        String parent = parents.get(key);
        OrgNodeKind parentKind = parent.isEmpty() ? null : kinds.get(parent);
        if (row.kind().mayBeTop() && !parent.isEmpty() && !(row.kind().isHuvudman() && parentKind == OrgNodeKind.NATIONAL)
                && !(row.kind() == OrgNodeKind.CITY_DISTRICT && parentKind == OrgNodeKind.MUNICIPALITY)) {
            errors.add(new RowError(row.row(), "overordnad", row.kind().labelSv().toLowerCase()
                    + " har ingen överordnad (en huvudman kan ligga under nationell nivå, en stadsdel under en kommun)"));
            return;
        }
        if (!row.kind().mayBeTop() && parent.isEmpty()) {
            errors.add(new RowError(row.row(), "overordnad", row.kind().labelSv().toLowerCase() + " måste ha en överordnad"));
            return;
        }
        Set<String> path = new HashSet<>();
        String at = key;
        while (!at.isEmpty()) {
            if (!path.add(at)) {
                errors.add(new RowError(row.row(), "overordnad", "'" + row.parentCode() + "' ligger under " + row.code()
                        + "; det skulle bli en cirkel i organisationsträdet"));
                return;
            }
            at = Objects.requireNonNullElse(parents.get(at), "");
        }
        if (scopeKey != null && !path.contains(scopeKey)) {
            errors.add(new RowError(row.row(), "overordnad", "enheten hamnar utanför den valda organisationen"));
            return;
        }
        depth.put(key, path.size());
    }

    /**
     * The one transaction of the import: its nodes and its success, committed together or not at all; on Galera streamed
     * ({@link LargeTransactions}), so that a large tree does not make one large write set.
     */
    @Transactional
    ImportOutcome write(List<NodeRow> rows, Place place, Map<String, String> parentKeys, ImportProgress progress) {
        return large.streamed(() -> writeAll(rows, place, parentKeys, progress));
    }

    private ImportOutcome writeAll(List<NodeRow> rows, Place place, Map<String, String> parentKeys, ImportProgress progress) {
        progress.beginWrite();
        Map<String, Long> ids = new HashMap<>();
        place.knownByKey.forEach((key, known) -> ids.put(key, known.node().id()));
        int created = 0;
        int updated = 0;
        int processed = 0;
        for (NodeRow row : rows) {
            String key = place.rowKeys.get(row.row());
            String parentKey = parentKeys.get(key);
            Long parentId = parentKey.isEmpty() ? null : ids.get(parentKey);
            Known known = place.knownByKey.get(key);
            long id;
            if (known == null) {
                id = tree.add(row.code(), row.name(), row.kind(), parentId).id();
                ids.put(key, id);
                created++;
            } else {
                id = known.node().id();
                tree.change(known.node(), row.name(), row.kind(), parentId);
                updated++;
            }
            if (row.hsaId() != null) {
                sql.update("UPDATE org_node SET hsa_id = :hsa WHERE id = :id", NamedSql.with("hsa", row.hsaId()).and("id", id));
            }
            progress.rowsDone(++processed);
        }
        return progress.succeeded(ImportOutcome.written(created, updated, 0));
    }
}

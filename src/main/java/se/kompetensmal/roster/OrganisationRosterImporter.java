package se.kompetensmal.roster;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.organization.OrganizationTree;

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
import java.util.stream.Collectors;

/**
 * Imports organisational nodes from CSV: new codes are added, known codes are renamed or moved with their subtree.
 * A parent may come later in the file than its children; the result must be a tree, which is checked before writing.
 */
@Singleton
class OrganisationRosterImporter {

    static final List<String> REQUIRED = List.of("kod", "namn", "typ", "overordnad");

    private final OrgNodeRepository nodes;
    private final OrganizationTree tree;

    OrganisationRosterImporter(OrgNodeRepository nodes, OrganizationTree tree) {
        this.nodes = nodes;
        this.tree = tree;
    }

    record NodeRow(int row, String code, String name, OrgNodeKind kind, String parentCode) {
    }

    ImportOutcome importFile(RosterImport rosterImport, Path file, ImportProgress progress) throws IOException {
        int total = RosterFile.countRows(file, REQUIRED);
        progress.start(RosterImportStatus.VALIDATING, total);
        RowErrors errors = new RowErrors();
        Map<String, NodeRow> rows = new HashMap<>();
        List<NodeRow> inOrder = new ArrayList<>();
        try (CsvReader csv = RosterFile.open(file, REQUIRED)) {
            int processed = 0;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                NodeRow parsed = parse(row, csv.header().size(), errors);
                if (parsed != null) {
                    NodeRow earlier = rows.putIfAbsent(parsed.code(), parsed);
                    if (earlier != null) {
                        errors.add(parsed.row(), "kod", "koden " + parsed.code() + " finns redan på rad " + earlier.row());
                    } else {
                        inOrder.add(parsed);
                    }
                }
                progress.rowsDone(++processed);
            }
        }
        Map<String, OrgNode> existing = new HashMap<>();
        Map<Long, String> codesById = new HashMap<>();
        nodes.findAll().forEach(n -> {
            existing.put(n.code(), n);
            codesById.put(n.id(), n.code());
        });
        Map<String, String> parents = new HashMap<>();
        Map<String, OrgNodeKind> kinds = new HashMap<>();
        existing.values().forEach(n -> {
            parents.put(n.code(), n.parentId() == null ? "" : codesById.get(n.parentId()));
            kinds.put(n.code(), n.kind());
        });
        inOrder.forEach(r -> {
            parents.put(r.code(), r.parentCode());
            kinds.put(r.code(), r.kind());
        });
        String scopeCode = rosterImport.scopeOrgId() == null ? null : codesById.get(rosterImport.scopeOrgId());
        Set<String> inScope = rosterImport.scopeOrgId() == null ? null
                : nodes.findSubtree(rosterImport.scopeOrgId()).stream().map(OrgNode::code).collect(Collectors.toSet());
        Map<String, Integer> depth = new HashMap<>();
        for (NodeRow row : inOrder) {
            // A file for one organisation may not rename or move another organisation's nodes.
            if (inScope != null && existing.containsKey(row.code()) && !inScope.contains(row.code())) {
                errors.add(new RowError(row.row(), "kod", "koden " + row.code() + " kan inte användas i den här organisationen"));
                continue;
            }
            checkPlace(row, parents, kinds, scopeCode, depth, errors);
        }
        if (!errors.isEmpty()) {
            return ImportOutcome.rejected(errors);
        }
        progress.start(RosterImportStatus.WRITING, total);
        // Parents before children, so that every parent exists when its child is written.
        inOrder.sort(Comparator.comparingInt(r -> depth.get(r.code())));
        return write(inOrder, existing, progress);
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
        return errors.count() > before ? null : new NodeRow(n, code, name, kind, parent);
    }

    /** Checks the row's parent and its way up the tree after the import; records each node's depth for writing. */
    private static void checkPlace(NodeRow row, Map<String, String> parents, Map<String, OrgNodeKind> kinds,
                                   String scopeCode, Map<String, Integer> depth, RowErrors errors) {
        String parent = row.parentCode();
        if (row.kind().mayBeTop() && !parent.isEmpty() && !(row.kind().isHuvudman() && kinds.get(parent) == OrgNodeKind.NATIONAL)
                && !(row.kind() == OrgNodeKind.CITY_DISTRICT && kinds.get(parent) == OrgNodeKind.MUNICIPALITY)) {
            errors.add(new RowError(row.row(), "overordnad", row.kind().labelSv().toLowerCase()
                    + " har ingen överordnad (en huvudman kan ligga under nationell nivå, en stadsdel under en kommun)"));
            return;
        }
        if (!row.kind().mayBeTop() && parent.isEmpty()) {
            errors.add(new RowError(row.row(), "overordnad", row.kind().labelSv().toLowerCase() + " måste ha en överordnad"));
            return;
        }
        if (!parent.isEmpty() && !parents.containsKey(parent)) {
            errors.add(new RowError(row.row(), "overordnad", "den överordnade '" + parent + "' finns varken i filen eller i systemet"));
            return;
        }
        Set<String> path = new HashSet<>();
        String at = row.code();
        while (!at.isEmpty()) {
            if (!path.add(at)) {
                errors.add(new RowError(row.row(), "overordnad", "'" + parent + "' ligger under " + row.code()
                        + "; det skulle bli en cirkel i organisationsträdet"));
                return;
            }
            at = Objects.requireNonNullElse(parents.get(at), "");
        }
        if (scopeCode != null && !path.contains(scopeCode)) {
            errors.add(new RowError(row.row(), "overordnad", "enheten hamnar utanför den valda organisationen"));
            return;
        }
        depth.put(row.code(), path.size());
    }

    @Transactional
    ImportOutcome write(List<NodeRow> rows, Map<String, OrgNode> existing, ImportProgress progress) {
        Map<String, Long> ids = new HashMap<>();
        existing.forEach((code, node) -> ids.put(code, node.id()));
        int created = 0;
        int updated = 0;
        int processed = 0;
        for (NodeRow row : rows) {
            Long parentId = row.parentCode().isEmpty() ? null : ids.get(row.parentCode());
            OrgNode known = existing.get(row.code());
            if (known == null) {
                ids.put(row.code(), tree.add(row.code(), row.name(), row.kind(), parentId).id());
                created++;
            } else {
                tree.change(known, row.name(), row.kind(), parentId);
                updated++;
            }
            progress.rowsDone(++processed);
        }
        return ImportOutcome.written(created, updated, 0);
    }
}

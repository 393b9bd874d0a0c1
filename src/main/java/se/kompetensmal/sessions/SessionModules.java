package se.kompetensmal.sessions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.authoring.ModuleAuthoring;
import se.kompetensmal.catalog.CatalogueStore;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleRules;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;

import java.sql.Connection;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Session modules (lärarledd utbildning): a catalogue module with source SESSION, taken at an occasion, so it has no
 * pages and no assessment here (pass mark 0). Created by the coordinators and administrators who may own modules, at the
 * same owner nodes as the editor's own modules ({@link ModuleAuthoring#owners}); stored through {@link CatalogueStore}
 * like every other module, so routines and manual assignments use it by the same {@link ModuleReach} rule.
 */
@Singleton
public class SessionModules {

    public static final String SOURCE = "SESSION";
    public static final String CREATED = "SESSION_MODULE_CREATED";

    static final int MAX_MINUTES = 1440;
    /** Room for "-" and a counter after the code made from the title. */
    private static final int CODE_STEM = 70;

    /** What a new session module is, as the form or the API gives it; owner null is "everyone" (system administrators). */
    public record NewSessionModule(@Nullable Long ownerOrgId, @Nullable String title, @Nullable String summary,
                                   @Nullable Integer estimatedMinutes, List<String> audiences, List<String> goals) {
    }

    private final ModuleAuthoring authoring;
    private final CatalogueStore store;
    private final ModuleReach reach;
    private final Access access;
    private final AuditLog audit;
    private final NamedSql sql;
    private final TransactionOperations<Connection> transactions;

    public SessionModules(ModuleAuthoring authoring, CatalogueStore store, ModuleReach reach, Access access,
                          AuditLog audit, TransactionOperations<Connection> transactions, NamedSql sql) {
        this.sql = sql;
        this.authoring = authoring;
        this.store = store;
        this.reach = reach;
        this.access = access;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Where the caller may create session modules: the editor's owner nodes (and "everyone" for system administrators). */
    public ModuleAuthoring.Owners owners(Authentication caller) {
        return authoring.owners(caller);
    }

    /**
     * Creates the module and its first version. Every field is checked; the first wrong one is answered with a Swedish
     * message ({@link OccasionRefused}, 422) and nothing is written. The code is made from the title (a–z, digits and
     * hyphens), with a number after it when a module already has that code. Returns the code.
     */
    public String create(Authentication caller, NewSessionModule m, @Nullable HttpRequest<?> request) {
        ModuleAuthoring.Owners owners = authoring.owners(caller);
        Long owner = m.ownerOrgId();
        if (owner == null ? !owners.everyone() : owners.nodes().stream().map(OrgNode::id).noneMatch(owner::equals)) {
            if (owners.nodes().isEmpty() && !owners.everyone()) {
                access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
            }
            throw new OccasionRefused("Välj en ägare bland dem du får skapa moduler för.");
        }
        String title = m.title() == null ? "" : m.title().strip();
        if (title.isEmpty() || title.length() > ModuleRules.MAX_TITLE) {
            throw new OccasionRefused("Skriv en titel, högst " + ModuleRules.MAX_TITLE + " tecken.");
        }
        String summary = m.summary() == null ? "" : m.summary().strip();
        if (summary.isEmpty() || summary.length() > ModuleRules.MAX_SUMMARY) {
            throw new OccasionRefused("Skriv en sammanfattning, högst " + ModuleRules.MAX_SUMMARY + " tecken.");
        }
        if (m.estimatedMinutes() == null || m.estimatedMinutes() < 1 || m.estimatedMinutes() > MAX_MINUTES) {
            throw new OccasionRefused("Beräknad tid ska vara 1–" + MAX_MINUTES + " minuter.");
        }
        ModuleRules.Known known = authoring.knownAt(owner == null ? 0 : owner);
        List<String> audiences = List.copyOf(new LinkedHashSet<>(m.audiences() == null ? List.of() : m.audiences()));
        if (audiences.isEmpty() || !known.audiences().containsAll(audiences)) {
            throw new OccasionRefused("Välj minst en målgrupp bland dem som finns här.");
        }
        List<String> goals = List.copyOf(new LinkedHashSet<>(m.goals() == null ? List.of() : m.goals()));
        if (goals.isEmpty() || !known.goals().containsAll(goals)) {
            throw new OccasionRefused("Välj minst ett kompetensmål bland dem som finns här.");
        }
        long account = Caller.of(caller).accountId();
        String code = transactions.executeWrite(status -> {
            String free = freeCode(title);
            CourseContent.Module module = new CourseContent.Module(free, title, summary, m.estimatedMinutes(),
                    audiences.stream().sorted().toList(), goals.stream().sorted().toList(), 0, List.of(), List.of(),
                    null, List.of());
            store.storeVersion(module, List.of(), SOURCE, owner, account);
            return free;
        });
        audit.record(caller.getName(), CREATED, code, request);
        return code;
    }

    /** A session module in the Egna moduler list. */
    public record Summary(String code, String title, String ownerName, int latestVersion, boolean withdrawn) {
    }

    /** The session modules the caller may see, by title; for coordinators and administrators only (else 403). */
    public List<Summary> visibleTo(Authentication caller) {
        access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return sql.list("""
                SELECT cm.code, v.title, o.name AS owner_name, v.version, cm.withdrawn_at IS NOT NULL AS withdrawn
                FROM catalogue_module cm
                LEFT JOIN org_node o ON o.id = cm.owner_org_id
                JOIN module_version v ON v.module_code = cm.code
                 AND v.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = cm.code)
                WHERE cm.source = 'SESSION' AND\s""" + ModuleReach.VISIBLE_TO + " ORDER BY v.title, cm.code",
                Map.of("account", Caller.of(caller).accountId()),
                row -> new Summary(row.string("code"), row.string("title"),
                        row.string("owner_name") == null ? ModuleAuthoring.EVERYONE : row.string("owner_name"),
                        (int) row.number("version"), row.flag("withdrawn")));
    }

    /** What the form offers: audiences and goals usable at any of the caller's owner nodes, each once. */
    public record Choices(List<Occasions.Choice> audiences, List<Occasions.Choice> goals) {
    }

    /**
     * The audiences and goals a new session module may name at any of the owners (by name and code); which of them the
     * chosen owner may name is checked when the module is created.
     */
    public Choices choices(ModuleAuthoring.Owners owners) {
        Set<String> audienceCodes = new LinkedHashSet<>();
        Set<String> goalCodes = new LinkedHashSet<>();
        List<Long> at = new ArrayList<>(owners.nodes().stream().map(OrgNode::id).toList());
        if (owners.everyone()) {
            at.add(0L);
        }
        for (long node : at) {
            ModuleRules.Known known = authoring.knownAt(node);
            audienceCodes.addAll(known.audiences());
            goalCodes.addAll(known.goals());
        }
        Map<String, String> audienceNames = new LinkedHashMap<>();
        sql.list("SELECT code, name_sv FROM audience ORDER BY name_sv, code", Map.of(),
                row -> audienceNames.putIfAbsent(row.string("code"), row.string("name_sv")));
        Map<String, String> goalTexts = new LinkedHashMap<>();
        sql.list("SELECT code, text_sv FROM competence_goal ORDER BY code, id", Map.of(),
                row -> goalTexts.putIfAbsent(row.string("code"), row.string("text_sv")));
        return new Choices(
                audienceNames.entrySet().stream().filter(e -> audienceCodes.contains(e.getKey()))
                        .map(e -> new Occasions.Choice(e.getKey(), e.getValue())).toList(),
                goalTexts.entrySet().stream().filter(e -> goalCodes.contains(e.getKey()))
                        .map(e -> new Occasions.Choice(e.getKey(), e.getValue())).toList());
    }

    /** A code made from the title that no module has yet (codes are never reused). */
    String freeCode(String title) {
        String stem = codeOf(title);
        String code = stem;
        for (int n = 2; reach.owner(code).isPresent(); n++) {
            code = stem + "-" + n;
        }
        return code;
    }

    /** "Introduktionsdag patientsäkerhet" → "introduktionsdag-patientsakerhet". */
    static String codeOf(String title) {
        String plain = Normalizer.normalize(title.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        List<String> words = new ArrayList<>();
        for (String word : plain.split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        String code = String.join("-", words);
        if (code.length() > CODE_STEM) {
            code = code.substring(0, CODE_STEM).replaceAll("-+$", "");
        }
        return code.isEmpty() ? "lararledd" : code;
    }
}

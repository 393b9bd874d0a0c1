package se.kompetensmal.authoring;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleWithdrawn;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Role;
import se.kompetensmal.security.RoleGrantRepository;
import se.kompetensmal.sql.NamedSql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An organisation's own modules, written in the browser (or imported as files): created, drafted as the coordinator
 * types, published as immutable versions through the same validator and store as the {@code courses/} loader, withdrawn,
 * exported and imported. Where a module may be seen and changed is {@link ModuleReach}'s rule: a module the caller may
 * not see is answered as an unknown code (404), one they see but may not change with 403. Shipped modules (FILES) are
 * never reached here: they are changed in {@code courses/} only.
 */
@Singleton
public class ModuleAuthoring {

    /** The largest draft stored, as JSON: far more text than any module needs, far less than the column holds. */
    static final int MAX_DRAFT_BYTES = 2 * 1024 * 1024;
    static final int TITLE_LENGTH = 200;
    static final int REASON_LENGTH = 500;

    public static final String CREATED = "MODULE_CREATED";
    public static final String PUBLISHED = "MODULE_PUBLISHED";
    public static final String WITHDRAWN = "MODULE_WITHDRAWN";
    public static final String IMPORTED = "MODULE_IMPORTED";
    public static final String DISCARDED = "MODULE_DISCARDED";

    /** What "for everyone" is called where an owner is named. */
    public static final String EVERYONE = "Alla organisationer";

    // TODO(rules): the module-code rule's one home is ModuleRules; replaced by it once h-rules is merged.
    private static final Pattern MODULE_CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(SwedishTime.ZONE);

    @Serdeable
    public record Summary(String code, String title, long ownerOrgId /*0 = everyone*/, String ownerName, Status status,
                          @Nullable Integer latestVersion, boolean unpublishedChanges, boolean editable,
                          @Nullable Instant draftSavedAt, @Nullable String draftSavedBy) {
    }

    public enum Status { DRAFT /*never published*/, PUBLISHED, WITHDRAWN }

    @Serdeable
    public record Draft(Summary module, ModuleDraft content, int revision) {
    }

    @Serdeable
    public record VersionRow(int version, Instant publishedAt, String publishedBy, long learnersStarted, long completions) {
    }

    /** Where the caller may create modules: nodes where they are coordinator or administrator, and whether "everyone". */
    @Serdeable
    public record Owners(List<OrgNode> nodes, boolean everyone) {
    }

    private final NamedSql sql;
    private final DraftRepository drafts;
    private final ImageRepository images;
    private final PublishedContent published;
    private final ModuleReach reach;
    private final Access access;
    private final RoleGrantRepository grants;
    private final OrgNodeRepository nodes;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<ModuleWithdrawn> withdrawals;

    public ModuleAuthoring(NamedSql sql, DraftRepository drafts, ImageRepository images, PublishedContent published,
                           ModuleReach reach, Access access, RoleGrantRepository grants, OrgNodeRepository nodes,
                           AuditLog audit, ObjectMapper json, TransactionOperations<Connection> transactions,
                           ApplicationEventPublisher<ModuleWithdrawn> withdrawals) {
        this.sql = sql;
        this.drafts = drafts;
        this.images = images;
        this.published = published;
        this.reach = reach;
        this.access = access;
        this.grants = grants;
        this.nodes = nodes;
        this.audit = audit;
        this.json = json;
        this.transactions = transactions;
        this.withdrawals = withdrawals;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lists and owners

    /** The own (EDITOR) modules the caller may see, by title; for coordinators and administrators only (else 403). */
    public List<Summary> visibleTo(Authentication caller) {
        access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return summaries(caller, "cm.source = 'EDITOR' AND " + ModuleReach.VISIBLE_TO, NamedSql.with("account", accountOf(caller)));
    }

    /** One module as {@link #visibleTo} lists it: 404 unless the caller may see it, 403 unless they may read it here. */
    public Summary summary(Authentication caller, String code) {
        readable(caller, code);
        return summaryOf(caller, code);
    }

    /**
     * Where the caller may create modules: the nodes they are granted coordinator or administrator on (not the nodes
     * below: a module created there could not be edited by them, editing is for the owner node's own roles); for a
     * system-wide administrator the top of every organisation. Empty: they may not create any (403).
     */
    public List<OrgNode> ownersFor(Authentication caller) {
        if (systemAdministrator(caller)) {
            return nodes.findByParentIdIsNullOrderByName();
        }
        return grants.findByAccountId(accountOf(caller)).stream()
                .filter(g -> g.orgNodeId() != null && (g.role() == Role.COORDINATOR || g.role() == Role.ADMINISTRATOR))
                .map(g -> g.orgNodeId()).distinct()
                .map(nodes::findById).flatMap(Optional::stream)
                .sorted(Comparator.comparing(OrgNode::name))
                .toList();
    }

    /** {@link #ownersFor}, and whether the caller may also create modules for everyone (system-wide administrators). */
    public Owners owners(Authentication caller) {
        return new Owners(ownersFor(caller), systemAdministrator(caller));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Create, draft, save, discard

    /**
     * A new own module with an empty draft. The code follows the module-code rule and is no module's yet, shipped or
     * own: a code once taken is never given to another module, so nobody can shadow a shipped module.
     */
    public Summary create(Authentication caller, @Nullable Long ownerOrgId, String code, String title) {
        requireOwner(caller, ownerOrgId);
        String wanted = code == null ? "" : code.strip();
        String named = title == null ? "" : title.strip();
        requireCode(wanted);
        if (named.isEmpty()) {
            throw new AuthoringRefused("Skriv en titel för modulen.");
        }
        if (named.length() > TITLE_LENGTH) {
            throw new AuthoringRefused("Titeln får vara högst " + TITLE_LENGTH + " tecken.");
        }
        transactions.executeWrite(status -> {
            insertModule(wanted, ownerOrgId, accountOf(caller));
            drafts.insert(wanted, write(ModuleDraft.empty(wanted, named)), null, accountOf(caller), true);
            return null;
        });
        audit.record(caller.getName(), CREATED, wanted, null);
        return summaryOf(caller, wanted);
    }

    /**
     * The module's draft, for anyone who may read the module here. A published module without a draft gets one made
     * from its latest version (as that version was published), so that editing always starts from what learners see.
     */
    public Draft draft(Authentication caller, String code) {
        readable(caller, code);
        DraftRow row = stored(code);
        return new Draft(summaryOf(caller, code), read(row.content()), row.revision());
    }

    /**
     * Saves the draft exactly as typed, valid or not (nothing typed is lost), over the revision the editor started from:
     * if someone saved in between, nothing is saved and {@link DraftConflict} (409) says who and when. The images are
     * the draft's own ({@link #addImage}), whatever the content sent lists. Returns the draft with its new revision.
     */
    public Draft save(Authentication caller, String code, ModuleDraft content, int revision) {
        changeable(caller, code);
        DraftRow current = stored(code);
        ModuleDraft whole = Drafts.whole(content, code, read(current.content()).images());
        String text = write(whole);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DRAFT_BYTES) {
            throw new AuthoringRefused("Utkastet är för stort för att sparas (högst 2 MB text). Dela upp texten på fler "
                    + "moduler eller korta den.");
        }
        if (current.revision() != revision) {
            throw conflict(caller, current);
        }
        if (text.equals(current.content())) {
            // Nothing changed (an autosave of what is already stored): keep the revision, so no other tab is told off.
            return new Draft(summaryOf(caller, code), whole, current.revision());
        }
        if (drafts.saveOver(code, revision, text, accountOf(caller)) == 0) {
            throw conflict(caller, stored(code));
        }
        return new Draft(summaryOf(caller, code), whole, revision + 1);
    }

    /**
     * Throws away a module that was never published: its draft, its images and its code. Once a version exists nothing
     * is deleted (someone may have taken it): it can be withdrawn instead.
     */
    public void discard(Authentication caller, String code) {
        changeable(caller, code);
        transactions.executeWrite(status -> {
            sql.one("SELECT code FROM catalogue_module WHERE code = :code FOR UPDATE", NamedSql.with("code", code),
                    row -> row.string("code"));
            if (latestVersion(code) != null) {
                throw new AuthoringRefused("Modulen har publicerats och kan inte tas bort. Dra tillbaka den i stället: "
                        + "den får då inga nya tilldelningar och allt som redan gjorts finns kvar.");
            }
            drafts.delete(code);
            images.deleteOfModule(code);
            sql.update("DELETE FROM catalogue_module WHERE code = :code AND source = 'EDITOR'", NamedSql.with("code", code));
            return null;
        });
        audit.record(caller.getName(), DISCARDED, code, null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Withdraw and versions

    /**
     * Withdraws a published module: it gets no new assignments (routines drop it, see {@link ModuleWithdrawn}); learners
     * who started it may finish, and everything recorded against it is kept. Withdrawing is final.
     */
    public void withdraw(Authentication caller, String code, String reason) {
        changeable(caller, code);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new AuthoringRefused("Skriv varför modulen dras tillbaka.");
        }
        if (why.length() > REASON_LENGTH) {
            throw new AuthoringRefused("Skälet får vara högst " + REASON_LENGTH + " tecken.");
        }
        if (latestVersion(code) == null) {
            throw new AuthoringRefused("Modulen har aldrig publicerats, så det finns inget att dra tillbaka. Ta bort utkastet "
                    + "i stället om det inte behövs.");
        }
        int changed = sql.update("""
                UPDATE catalogue_module SET withdrawn_at = CURRENT_TIMESTAMP, withdrawn_by = :account, withdrawn_reason = :reason
                WHERE code = :code AND withdrawn_at IS NULL""",
                NamedSql.with("code", code).and("account", accountOf(caller)).and("reason", why));
        if (changed == 0) {
            throw new AuthoringRefused("Modulen är redan tillbakadragen.");
        }
        // Committed (one statement): routines may now act on it.
        withdrawals.publishEvent(new ModuleWithdrawn(code, accountOf(caller)));
        audit.record(caller.getName(), WITHDRAWN, code + ": " + why, null);
    }

    /** Every published version, newest first: when and by whom, how many learners started it and completed it. */
    public List<VersionRow> versions(Authentication caller, String code) {
        readable(caller, code);
        NamedSql.Params params = NamedSql.with("code", code);
        // Started: anyone with progress, an attempt or a completion on the version (a learner who finished has no
        // progress left, one who completed elsewhere has only the completion).
        record Learners(long versionId, long started, long completions) {
        }
        java.util.Map<Long, Learners> learners = new java.util.HashMap<>();
        sql.list("""
                SELECT s.module_version_id, COUNT(DISTINCT s.person_id) AS started,
                       (SELECT COUNT(*) FROM completion c WHERE c.module_version_id = s.module_version_id) AS completions
                FROM (SELECT p.module_version_id, p.person_id FROM module_progress p
                      JOIN module_version v ON v.id = p.module_version_id WHERE v.module_code = :code
                      UNION SELECT a.module_version_id, a.person_id FROM assessment_attempt a
                      JOIN module_version v ON v.id = a.module_version_id WHERE v.module_code = :code
                      UNION SELECT c.module_version_id, c.person_id FROM completion c
                      JOIN module_version v ON v.id = c.module_version_id WHERE v.module_code = :code) s
                GROUP BY s.module_version_id""", params,
                row -> new Learners(row.number("module_version_id"), row.number("started"), row.number("completions")))
                .forEach(l -> learners.put(l.versionId(), l));
        return sql.list("""
                SELECT v.id, v.version, CAST(UNIX_TIMESTAMP(v.created_at) * 1000 AS SIGNED) AS published_ms,
                       COALESCE(CONCAT(p.given_name, ' ', p.family_name), ua.username, '') AS published_by
                FROM module_version v LEFT JOIN user_account ua ON ua.id = v.published_by
                LEFT JOIN person p ON p.id = ua.person_id
                WHERE v.module_code = :code ORDER BY v.version DESC""", params, row -> {
            Learners of = learners.getOrDefault(row.number("id"), new Learners(0, 0, 0));
            return new VersionRow((int) row.number("version"), Instant.ofEpochMilli(row.number("published_ms")),
                    row.string("published_by"), of.started(), of.completions());
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scope

    /**
     * The module, if the caller may read it in the editor: an own module they may see (else 404, as for an unknown code),
     * and they are a coordinator or administrator (else 403: a learner sees the published module, never its draft).
     */
    ModuleReach.Owner readable(Authentication caller, String code) {
        ModuleReach.Owner owner = reach.owner(code).filter(o -> !o.fromFiles()).orElseThrow(Access::notFound);
        if (!reach.visibleTo(caller, code)) {
            throw Access.notFound();
        }
        access.requireAnywhere(caller, Role.COORDINATOR, Role.ADMINISTRATOR);
        return owner;
    }

    /** The module, if the caller may change it: readable (404/403), editable by them (403), and not withdrawn (422). */
    ModuleReach.Owner changeable(Authentication caller, String code) {
        ModuleReach.Owner owner = readable(caller, code);
        if (!reach.editableBy(caller, code)) {
            throw Access.forbidden();
        }
        if (owner.withdrawn()) {
            throw new AuthoringRefused("Modulen är tillbakadragen och kan inte ändras eller publiceras igen. Skapa en ny "
                    + "modul om innehållet ska användas på nytt.");
        }
        return owner;
    }

    /** Owner null (everyone) for system-wide administrators only; a node where the caller is granted the role itself. */
    private void requireOwner(Authentication caller, @Nullable Long ownerOrgId) {
        if (ownerOrgId == null) {
            if (!systemAdministrator(caller)) {
                throw Access.forbidden();
            }
            return;
        }
        nodes.findById(ownerOrgId).orElseThrow(Access::notFound);
        access.requireOn(caller, ownerOrgId, Role.COORDINATOR, Role.ADMINISTRATOR);
        if (!systemAdministrator(caller) && ownersFor(caller).stream().noneMatch(n -> ownerOrgId.equals(n.id()))) {
            throw new AuthoringRefused("Välj en del av organisationen där du själv är samordnare eller administratör: "
                    + "en modul redigeras av dem som har rollen på just den nivå som äger den.");
        }
    }

    private boolean systemAdministrator(Authentication caller) {
        return access.holdsSystemWide(caller, Role.ADMINISTRATOR);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rows

    private void requireCode(String code) {
        if (!MODULE_CODE.matcher(code).matches()) {
            throw new AuthoringRefused("Koden får bara innehålla små bokstäver a–z, siffror och bindestreck, börja med en "
                    + "bokstav eller siffra och vara högst 80 tecken.");
        }
    }

    /** The module's row; a code already taken by any module (shipped or own) is refused. */
    private void insertModule(String code, @Nullable Long ownerOrgId, long accountId) {
        if (reach.owner(code).isPresent()) {
            throw new AuthoringRefused("Koden används redan av en annan modul. Välj en annan kod.");
        }
        try {
            sql.update("""
                    INSERT INTO catalogue_module (code, source, owner_org_id, created_by) VALUES (:code, 'EDITOR', :owner, :account)""",
                    NamedSql.with("code", code).and("owner", ownerOrgId).and("account", accountId));
        } catch (RuntimeException e) {
            // Someone took the code at the same moment.
            if (reach.owner(code).isPresent()) {
                throw new AuthoringRefused("Koden används redan av en annan modul. Välj en annan kod.");
            }
            throw e;
        }
    }

    /** The stored draft, made from the latest version first if the module has none. */
    private DraftRow stored(String code) {
        return drafts.findById(code).orElseGet(() -> {
            PublishedContent.Version latest = published.of(code, null).orElseThrow(Access::notFound);
            // INSERT IGNORE: another request may make it at the same moment; both then read the one stored.
            sql.update("""
                    INSERT IGNORE INTO module_draft (module_code, content, revision, updated_at, updated_by, unpublished_changes)
                    SELECT :code, :content, 1, v.created_at, v.published_by, FALSE FROM module_version v WHERE v.id = :version""",
                    NamedSql.with("code", code).and("content", write(latest.asDraft())).and("version", latest.id()));
            return drafts.findById(code).orElseThrow(Access::notFound);
        });
    }

    private @Nullable Integer latestVersion(String code) {
        return sql.one("SELECT MAX(version) AS latest FROM module_version WHERE module_code = :code",
                NamedSql.with("code", code), row -> row.nullableInt("latest")).orElse(null);
    }

    private DraftConflict conflict(Authentication caller, DraftRow current) {
        String who = current.updatedBy() != null && current.updatedBy() == accountOf(caller) ? "Du"
                : current.updatedBy() == null ? "Någon annan" : nameOf(current.updatedBy());
        Instant at = current.updatedAt();
        String when = at.atZone(SwedishTime.ZONE).toLocalDate().equals(LocalDate.now(SwedishTime.ZONE))
                ? "kl. " + CLOCK.format(at) : SwedishTime.format(at);
        String where = Objects.equals(current.updatedBy(), accountOf(caller)) ? " (i ett annat fönster eller en annan flik)" : "";
        return new DraftConflict(who + where + " sparade utkastet " + when + ", efter att du öppnade det. Din ändring sparades "
                + "inte: öppna utkastet igen för att se den senaste versionen och gör om ändringen där.");
    }

    private String nameOf(long accountId) {
        return sql.one("""
                SELECT COALESCE(CONCAT(p.given_name, ' ', p.family_name), ua.username) AS name
                FROM user_account ua LEFT JOIN person p ON p.id = ua.person_id WHERE ua.id = :account""",
                NamedSql.with("account", accountId), row -> row.string("name")).orElse("Någon annan");
    }

    private Summary summaryOf(Authentication caller, String code) {
        return summaries(caller, "cm.code = :code", NamedSql.with("code", code)).stream().findFirst()
                .orElseThrow(Access::notFound);
    }

    private List<Summary> summaries(Authentication caller, String condition, NamedSql.Params params) {
        // The title people know: the draft's as typed, else the latest version's. Saved-at as epoch milliseconds:
        // UNIX_TIMESTAMP of a TIMESTAMP column is its stored instant, whatever the session's time zone.
        List<Summary> rows = sql.list("""
                SELECT cm.code, cm.owner_org_id, o.name AS owner_name, cm.withdrawn_at IS NOT NULL AS withdrawn,
                       v.version AS latest_version, v.title AS version_title,
                       JSON_VALUE(d.content, '$.title') AS draft_title, COALESCE(d.unpublished_changes, FALSE) AS unpublished,
                       CAST(UNIX_TIMESTAMP(d.updated_at) * 1000 AS SIGNED) AS saved_ms,
                       COALESCE(CONCAT(p.given_name, ' ', p.family_name), ua.username) AS saved_by
                FROM catalogue_module cm
                LEFT JOIN org_node o ON o.id = cm.owner_org_id
                LEFT JOIN module_version v ON v.module_code = cm.code
                     AND v.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = cm.code)
                LEFT JOIN module_draft d ON d.module_code = cm.code
                LEFT JOIN user_account ua ON ua.id = d.updated_by
                LEFT JOIN person p ON p.id = ua.person_id
                WHERE\s""" + condition, params, row -> {
            String draftTitle = row.string("draft_title");
            String title = draftTitle != null && !draftTitle.isBlank() ? draftTitle
                    : row.string("version_title") != null ? row.string("version_title") : row.string("code");
            Integer latest = row.nullableInt("latest_version");
            Status status = row.flag("withdrawn") ? Status.WITHDRAWN : latest == null ? Status.DRAFT : Status.PUBLISHED;
            Long owner = row.nullableNumber("owner_org_id");
            Long savedMs = row.nullableNumber("saved_ms");
            return new Summary(row.string("code"), title, owner == null ? 0 : owner,
                    owner == null ? EVERYONE : row.string("owner_name"), status, latest,
                    latest == null || row.flag("unpublished"), false,
                    savedMs == null ? null : Instant.ofEpochMilli(savedMs), row.string("saved_by"));
        });
        return rows.stream()
                .map(s -> new Summary(s.code(), s.title(), s.ownerOrgId(), s.ownerName(), s.status(), s.latestVersion(),
                        s.unpublishedChanges(), s.status() != Status.WITHDRAWN && reach.editableBy(caller, s.code()),
                        s.draftSavedAt(), s.draftSavedBy()))
                .sorted(Comparator.comparing(Summary::title, String.CASE_INSENSITIVE_ORDER).thenComparing(Summary::code))
                .toList();
    }

    private static long accountOf(Authentication caller) {
        return Caller.of(caller).accountId();
    }

    String write(ModuleDraft draft) {
        try {
            return json.writeValueAsString(draft);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ModuleDraft read(String content) {
        try {
            return json.readValue(content, ModuleDraft.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package se.kompetensmal.authoring;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.CatalogueStore;
import se.kompetensmal.catalog.CourseContent;
import se.kompetensmal.catalog.GoalArea;
import se.kompetensmal.catalog.GoalKind;
import se.kompetensmal.catalog.ImageFile;
import se.kompetensmal.catalog.ImageFiles;
import se.kompetensmal.catalog.InvalidCourseContentException;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.catalog.ModuleFiles;
import se.kompetensmal.catalog.Goals;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleRules;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    private final CatalogueStore store;
    private final ModuleReach reach;
    private final Audiences audiences;
    private final Access access;
    private final RoleGrantRepository grants;
    private final OrgNodeRepository nodes;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<ModuleWithdrawn> withdrawals;
    private final Goals goals;

    public ModuleAuthoring(NamedSql sql, DraftRepository drafts, ImageRepository images, CatalogueStore store,
                           ModuleReach reach, Audiences audiences, Access access, RoleGrantRepository grants, OrgNodeRepository nodes,
                           AuditLog audit, ObjectMapper json, TransactionOperations<Connection> transactions,
                           ApplicationEventPublisher<ModuleWithdrawn> withdrawals, Goals goals) {
        this.sql = sql;
        this.drafts = drafts;
        this.images = images;
        this.store = store;
        this.reach = reach;
        this.audiences = audiences;
        this.access = access;
        this.grants = grants;
        this.nodes = nodes;
        this.audit = audit;
        this.json = json;
        this.transactions = transactions;
        this.withdrawals = withdrawals;
        this.goals = goals;
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
        // Locked: an image added meanwhile is kept (the images come from the stored draft), and two saves on the same
        // revision cannot both pass the check.
        record Saved(ModuleDraft content, int revision) {
        }
        Saved saved = transactions.executeWrite(status -> {
            DraftRow current = locked(code);
            ModuleDraft whole = Drafts.whole(content, code, read(current.content()).images());
            String text = write(whole);
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_DRAFT_BYTES) {
                throw new AuthoringRefused("Utkastet är för stort för att sparas (högst 2 MB text). Dela upp innehållet på "
                        + "fler moduler eller korta det.");
            }
            if (current.revision() != revision) {
                throw conflict(caller, current);
            }
            if (text.equals(current.content())) {
                // Nothing changed (an autosave of what is stored): the revision stays, so no other tab is told off.
                return new Saved(whole, current.revision());
            }
            drafts.saveOver(code, revision, text, accountOf(caller));
            return new Saved(whole, revision + 1);
        });
        return new Draft(summaryOf(caller, code), saved.content(), saved.revision());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Images

    /**
     * Adds an uploaded image to the draft, after {@link ImageFiles#check} (the type read from the bytes: PNG, JPEG or
     * WebP, at most 2 MB). The bytes are stored once per module (the same file again points at the stored row); an image
     * of the same file name in the draft is replaced. The revision stays: images are the draft's own, not the typed text,
     * so an upload does not make the page being edited stale.
     */
    public ModuleDraft.Image addImage(Authentication caller, String code, String fileName, byte[] bytes) {
        changeable(caller, code);
        String type = ImageFiles.check(fileName, bytes);
        long account = accountOf(caller);
        return transactions.executeWrite(status -> {
            DraftRow row = locked(code);
            ModuleDraft draft = read(row.content());
            ModuleDraft.Image added = imageOf(code, new ImageFile(fileName, type, bytes), account);
            List<ModuleDraft.Image> list = new ArrayList<>(draft.images() == null ? List.of() : draft.images());
            int same = indexOf(list, fileName);
            if (same >= 0) {
                list.set(same, added);
            } else if (list.size() >= ImageFiles.MAX_PER_MODULE) {
                throw new AuthoringRefused("Modulen har redan " + list.size() + " bilder; högst " + ImageFiles.MAX_PER_MODULE
                        + " går. Ta bort en bild som inte används först.");
            } else {
                list.add(added);
            }
            drafts.changeImages(code, write(Drafts.whole(draft, code, list)), account);
            return added;
        });
    }

    /** Takes an image out of the draft (versions that show it keep it). */
    public void removeImage(Authentication caller, String code, String fileName) {
        changeable(caller, code);
        transactions.executeWrite(status -> {
            DraftRow row = locked(code);
            ModuleDraft draft = read(row.content());
            List<ModuleDraft.Image> list = new ArrayList<>(draft.images() == null ? List.of() : draft.images());
            if (indexOf(list, fileName) < 0) {
                throw Access.notFound();
            }
            list.remove(indexOf(list, fileName));
            drafts.changeImages(code, write(Drafts.whole(draft, code, list)), accountOf(caller));
            return null;
        });
    }

    /** An image of the draft, with its type as read from its bytes; 404 for a name the draft does not have. */
    public ImageFile draftImage(Authentication caller, String code, String fileName) {
        readable(caller, code);
        ModuleDraft draft = read(stored(code).content());
        ModuleDraft.Image entry = (draft.images() == null ? List.<ModuleDraft.Image>of() : draft.images()).stream()
                .filter(i -> i.fileName().equals(fileName)).findFirst().orElseThrow(Access::notFound);
        ImageRow row = images.findByIdAndModuleCode(entry.imageId(), code).orElseThrow(Access::notFound);
        return new ImageFile(entry.fileName(), row.contentType(), row.bytes());
    }

    private static int indexOf(List<ModuleDraft.Image> images, String fileName) {
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).fileName().equals(fileName)) {
                return i;
            }
        }
        return -1;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What a module may name

    /**
     * The audiences and goals a module owned by the node may name: the audiences usable there and the national goals
     * with the own goals of the node and the nodes above it. A module for everyone (0) may name national ones only.
     */
    public ModuleRules.Known knownAt(long ownerOrgId) {
        Set<String> audienceCodes = new LinkedHashSet<>();
        Set<String> goalCodes = new LinkedHashSet<>();
        if (ownerOrgId == 0) {
            audienceCodes.addAll(sql.list("SELECT code FROM audience WHERE owner_org_id IS NULL", java.util.Map.of(),
                    row -> row.string("code")));
            goalCodes.addAll(sql.list("SELECT code FROM competence_goal WHERE owner_org_id IS NULL", java.util.Map.of(),
                    row -> row.string("code")));
        } else {
            audiences.usableUnder(ownerOrgId).forEach(a -> audienceCodes.add(a.code()));
            goalCodes.addAll(goals.usableAt(ownerOrgId));
        }
        return new ModuleRules.Known(Set.copyOf(audienceCodes), Set.copyOf(goalCodes));
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
    // Publish

    /**
     * Publishes the draft as the module's next version: validated by {@link ModuleRules} with the editor's places (every
     * problem at once, {@link ModuleInvalid}, nothing written), then stored by {@link CatalogueStore#storeVersion} as the
     * courses/ loader stores shipped modules. Learners who started an earlier version finish it; routines and new
     * learners get this one. The draft stays as it is, equal to what was published. Content equal to the latest version
     * is no new version: {@link AuthoringRefused} says so.
     */
    public int publish(Authentication caller, String code) {
        ModuleReach.Owner owner = changeable(caller, code);
        long account = accountOf(caller);
        record Outcome(int version, @Nullable Integer before) {
        }
        Outcome outcome = transactions.executeWrite(status -> {
            DraftRow row = locked(code);
            ModuleDraft stored = read(row.content());
            ModuleDraft draft = Drafts.whole(stored, code, stored.images() == null ? List.of() : stored.images());
            ModuleRules.Result result = ModuleRules.validate(draft, ModuleRules.EDITOR,
                    knownAt(owner.ownerOrgId() == null ? 0 : owner.ownerOrgId()));
            if (!result.valid()) {
                throw new ModuleInvalid(invalidMessage(result.problems().size()), result.problems());
            }
            List<ImageFile> files = draft.images().stream().map(image -> {
                ImageRow bytes = images.findByIdAndModuleCode(image.imageId(), code).orElseThrow(() -> new ModuleInvalid(
                        invalidMessage(1), List.of(new ModuleRules.Problem(ModuleRules.EDITOR.image(image.fileName()),
                                "Bilden finns inte längre; ladda upp den igen"))));
                return new ImageFile(image.fileName(), bytes.contentType(), bytes.bytes());
            }).toList();
            Integer before = latestVersion(code);
            int version = store.storeVersion(result.module().withImages(files), files, "EDITOR", owner.ownerOrgId(), account);
            drafts.published(code);
            return new Outcome(version, before);
        });
        if (outcome.before() != null && outcome.version() == outcome.before()) {
            throw new AuthoringRefused("Inget har ändrats sedan version " + outcome.version()
                    + ", så ingen ny version publicerades.");
        }
        audit.record(caller.getName(), PUBLISHED, code + " version " + outcome.version(), null);
        return outcome.version();
    }

    private static String invalidMessage(int problems) {
        return problems == 1 ? "Modulen kan inte publiceras ännu: en sak behöver rättas."
                : "Modulen kan inte publiceras ännu: " + problems + " saker behöver rättas.";
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
                       (SELECT COUNT(*) FROM counted_completion c WHERE c.module_version_id = s.module_version_id) AS completions
                FROM (SELECT p.module_version_id, p.person_id FROM module_progress p
                      JOIN module_version v ON v.id = p.module_version_id WHERE v.module_code = :code
                      UNION SELECT a.module_version_id, a.person_id FROM assessment_attempt a
                      JOIN module_version v ON v.id = a.module_version_id WHERE v.module_code = :code
                      UNION SELECT c.module_version_id, c.person_id FROM counted_completion c
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
    // Export and import

    /**
     * A published version (the latest when {@code version} is null) as a zip in exactly the courses/ layout, with its
     * images and the organisation's own goals it covers (national goals are every instance's already).
     */
    public byte[] export(Authentication caller, String code, @Nullable Integer version) {
        if (readable(caller, code).fromPackage()) {
            throw Access.notFound();
        }
        CatalogueStore.Stored found = store.version(code, version).orElseThrow(() -> version == null
                ? new AuthoringRefused("Modulen har ingen publicerad version att exportera ännu. Publicera den först.")
                : Access.notFound());
        return ModuleFiles.writeZip(found.module(), found.images(), ownGoalsOf(code, found.version()));
    }

    /**
     * Imports a module written as files (a zip in the courses/ layout) as the draft of a new own module owned by the
     * node (null: everyone, system-wide administrators only), or of the caller's existing own module with the same code
     * and owner. Everything is checked first, with the same rules and messages as the courses/ loader (file and line);
     * on any problem nothing at all is written ({@link ModuleInvalid}). The zip's own goals that the owner lacks are
     * created, owned by the owner node; a goal code that is another organisation's, or national or the owner's with
     * another text, is a problem. A shipped module's code is never taken. Publishing is a step of its own.
     */
    public Summary importZip(Authentication caller, @Nullable Long ownerOrgId, byte[] zip) {
        requireOwner(caller, ownerOrgId);
        if (zip == null || zip.length > ModuleFiles.MAX_UNCOMPRESSED) {
            throw new AuthoringRefused("Skicka en zip-fil med en modul, högst " + ModuleFiles.MAX_UNCOMPRESSED / (1024 * 1024)
                    + " MB.");
        }
        long account = accountOf(caller);
        ModuleFiles.Read read;
        try {
            read = ModuleFiles.readZip(zip, knownAt(ownerOrgId == null ? 0 : ownerOrgId));
        } catch (InvalidCourseContentException e) {
            throw new ModuleInvalid(importMessage(e.details().size()), e.details());
        }
        String code = read.module().code();
        String moduleFile = "modules/" + code + "/module.yml";
        String result = transactions.executeWrite(status -> {
            List<ModuleRules.Problem> problems = new ArrayList<>();
            List<CourseContent.Goal> toCreate = new ArrayList<>();
            for (CourseContent.Goal goal : read.ownGoals()) {
                goalProblem(goal, ownerOrgId).ifPresentOrElse(
                        message -> problems.add(new ModuleRules.Problem("catalogue.yml", message)),
                        () -> {
                            if (!goalExists(goal.code())) {
                                toCreate.add(goal);
                            }
                        });
            }
            Optional<ModuleReach.Owner> existing = reach.owner(code);
            if (existing.isPresent()) {
                ModuleReach.Owner owner = existing.get();
                if (owner.fromFiles()) {
                    problems.add(new ModuleRules.Problem(moduleFile, "id «" + code + "» är en modul som levereras med "
                            + "tjänsten och kan inte ersättas; ge modulen ett eget id"));
                } else if (!reach.visibleTo(caller, code) || !reach.editableBy(caller, code) || owner.fromPackage()) {
                    problems.add(new ModuleRules.Problem(moduleFile, "id «" + code + "» används redan av en annan modul; "
                            + "ge modulen ett eget id"));
                } else if (!Objects.equals(owner.ownerOrgId(), ownerOrgId)) {
                    problems.add(new ModuleRules.Problem(moduleFile, "modulen «" + code + "» finns redan och ägs av "
                            + summaryOf(caller, code).ownerName() + "; importera den dit"));
                } else if (owner.withdrawn()) {
                    problems.add(new ModuleRules.Problem(moduleFile, "modulen «" + code + "» är tillbakadragen och kan "
                            + "inte ändras; ge modulen ett nytt id"));
                }
            }
            if (!problems.isEmpty()) {
                throw new ModuleInvalid(importMessage(problems.size()), problems);
            }
            toCreate.forEach(goal -> goals.insert(goal, ownerOrgId, account));
            if (existing.isEmpty()) {
                insertModule(code, ownerOrgId, account);
            }
            List<ModuleDraft.Image> drafted = read.images().stream().map(file -> imageOf(code, file, account)).toList();
            String content = write(read.module().toDraft(drafted));
            if (existing.isEmpty()) {
                drafts.insert(code, content, null, account, true);
            } else {
                stored(code);
                drafts.replace(code, content, account);
            }
            return code;
        });
        audit.record(caller.getName(), IMPORTED, result, null);
        return summaryOf(caller, result);
    }

    private static String importMessage(int problems) {
        return "Filen importerades inte: " + (problems == 1 ? "en sak" : problems + " saker")
                + " behöver rättas. Inget har sparats.";
    }

    /** The own goals (not the national ones) a version covers, as files carry them. */
    private List<CourseContent.Goal> ownGoalsOf(String code, int version) {
        record Row(long id, String code, String area, String kind, String textSv, @Nullable String textEn) {
        }
        return sql.list("""
                SELECT g.id, g.code, g.area, g.kind, g.text_sv, g.text_en
                FROM module_version v JOIN module_version_goal mg ON mg.module_version_id = v.id
                JOIN competence_goal g ON g.id = mg.goal_id
                WHERE v.module_code = :code AND v.version = :version AND g.owner_org_id IS NOT NULL ORDER BY g.code""",
                NamedSql.with("code", code).and("version", version), row -> new Row(row.number("id"), row.string("code"), row.string("area"),
                        row.string("kind"), row.string("text_sv"), row.string("text_en")))
                .stream().map(g -> new CourseContent.Goal(g.code(), sql.list("""
                        SELECT a.code FROM competence_goal_audience ga JOIN audience a ON a.id = ga.audience_id
                        WHERE ga.goal_id = :goal ORDER BY a.sort_order, a.code""", NamedSql.with("goal", g.id()),
                        row -> row.string("code")), GoalArea.valueOf(g.area()), GoalKind.valueOf(g.kind()), g.textSv(),
                        g.textEn())).toList();
    }

    /**
     * Why the zip's goal cannot be used by a module owned by the node, if it cannot: the code is another organisation's
     * goal, or a goal the owner already uses (national, or the owner's or above) with another text.
     */
    private Optional<String> goalProblem(CourseContent.Goal goal, @Nullable Long ownerOrgId) {
        record Existing(@Nullable Long owner, String textSv, boolean usable) {
        }
        Optional<Existing> existing = sql.one("""
                SELECT g.owner_org_id, g.text_sv,
                       g.owner_org_id IS NULL OR EXISTS (SELECT 1 FROM org_closure up WHERE up.ancestor_id = g.owner_org_id
                                                         AND up.descendant_id = :node) AS usable
                FROM competence_goal g WHERE g.code = :code""",
                NamedSql.with("code", goal.code()).and("node", ownerOrgId == null ? 0L : ownerOrgId),
                row -> new Existing(row.nullableNumber("owner_org_id"), row.string("text_sv"), row.flag("usable")));
        if (existing.isEmpty()) {
            return ownerOrgId == null
                    ? Optional.of("målet " + goal.code() + " finns inte bland de nationella målen; en modul för alla "
                    + "organisationer kan bara täcka nationella mål")
                    : Optional.empty();
        }
        if (!existing.get().usable()) {
            return Optional.of("målkoden " + goal.code() + " används redan av en annan organisations mål; ge målet en egen kod");
        }
        if (!existing.get().textSv().strip().equals(goal.textSv().strip())) {
            return Optional.of("målet " + goal.code() + " finns redan " + (existing.get().owner() == null
                    ? "som nationellt mål" : "hos organisationen") + " med en annan text; använd samma text eller en egen kod");
        }
        return Optional.empty();
    }

    private boolean goalExists(String code) {
        return sql.number("SELECT COUNT(*) FROM competence_goal WHERE code = :code", NamedSql.with("code", code)) > 0;
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
        if (!ModuleRules.MODULE_CODE.matcher(code).matches()) {
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
        // A package module has no draft: its versions come from uploads (packages.PackageIntake); only withdrawing it
        // is shared with the editor.
        if (reach.owner(code).filter(ModuleReach.Owner::fromPackage).isPresent()) {
            throw Access.notFound();
        }
        return drafts.findById(code).orElseGet(() -> {
            CatalogueStore.Stored latest = store.version(code, null).orElseThrow(Access::notFound);
            ModuleDraft draft = latest.module().toDraft(latest.images().stream()
                    .map(file -> imageOf(code, file, null)).toList());
            // INSERT IGNORE: another request may make it at the same moment; both then read the one stored.
            sql.update("""
                    INSERT IGNORE INTO module_draft (module_code, content, revision, updated_at, updated_by, unpublished_changes)
                    SELECT :code, :content, 1, v.created_at, v.published_by, FALSE FROM module_version v
                    WHERE v.module_code = :code AND v.version = :version""",
                    NamedSql.with("code", code).and("content", write(draft)).and("version", latest.version()));
            return drafts.findById(code).orElseThrow(Access::notFound);
        });
    }

    /** The image as the draft names it: the module's stored row with these bytes (stored once), or a new row. */
    private ModuleDraft.Image imageOf(String code, ImageFile file, @Nullable Long account) {
        String sha256 = sha256(file.bytes());
        ImageRow row = images.sameBytes(code, sha256).orElseGet(() -> images.save(
                new ImageRow(null, code, file.fileName(), file.contentType(), sha256, file.bytes(), account)));
        return new ModuleDraft.Image(file.fileName(), row.id(), row.contentType(), file.bytes().length);
    }

    /** The stored draft (made from the latest version first if none), locked until the transaction ends. */
    private DraftRow locked(String code) {
        stored(code);
        return drafts.lock(code).orElseThrow(Access::notFound);
    }

    private @Nullable Integer latestVersion(String code) {
        return sql.one("SELECT version FROM module_version WHERE module_code = :code ORDER BY version DESC LIMIT 1",
                NamedSql.with("code", code), row -> (int) row.number("version")).orElse(null);
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

    /** The stored draft, whole: the JSON leaves out empty texts and lists, which read back as empty, not null. */
    ModuleDraft read(String content) {
        try {
            ModuleDraft draft = json.readValue(content, ModuleDraft.class);
            return Drafts.whole(draft, draft.code() == null ? "" : draft.code(),
                    draft.images() == null ? List.of() : draft.images());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

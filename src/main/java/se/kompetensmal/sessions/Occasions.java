package se.kompetensmal.sessions;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Role;
import se.kompetensmal.sql.NamedSql;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Occasions of session modules: created by coordinators (or administrators) of the node that holds them, for a session
 * module usable there; read by them and by the occasion's trainer; cancelled by the coordinators. Who may reach an
 * occasion is decided here and nowhere else ({@link #readable}, {@link #manageable}); sign-ups are the learner's side
 * ({@code Signups}), attendance is {@link Attendance}.
 */
@Singleton
public class Occasions {

    public static final String CREATED = "OCCASION_CREATED";
    public static final String CANCELLED = "OCCASION_CANCELLED";

    static final int PLACE_LENGTH = 200;
    static final int VIDEO_LENGTH = 500;
    static final int REASON_LENGTH = 500;
    static final int MAX_CAPACITY = 1000;
    static final int MAX_MINUTES = 1440;
    /** How far ahead an occasion may be planned: further out is a slip of the keyboard. */
    static final int MAX_YEARS_AHEAD = 3;

    /** What a new occasion is, typed; the pages parse their text fields into this with Swedish messages. */
    @Serdeable
    public record NewOccasion(@Nullable String moduleCode, @Nullable LocalDate day, @Nullable LocalTime start,
                              @Nullable Integer durationMinutes, @Nullable String place, @Nullable String videoUrl,
                              @Nullable Long trainerAccountId, @Nullable Integer capacity,
                              @Nullable LocalDate signupDeadline) {
    }

    /** One occasion with its figures: places taken, waiting, attended and no-shows. */
    @Serdeable
    public record Occasion(long id, String moduleCode, String moduleTitle, long orgNodeId, String orgNodeName,
                           LocalDate day, LocalTime start, int durationMinutes, @Nullable String place,
                           @Nullable String videoUrl, @Nullable Long trainerAccountId, @Nullable String trainerName,
                           int capacity, int booked, LocalDate signupDeadline, boolean cancelled,
                           @Nullable String cancelReason, int waiting, int attended, int absent, int fillPercent) {

        public LocalDateTime startsAt() {
            return day.atTime(start);
        }

        public LocalTime end() {
            return start.plusMinutes(durationMinutes);
        }

        /** Whether it has begun (Swedish time): attendance may be marked from then on. */
        public boolean started() {
            return !LocalDateTime.now(SwedishTime.ZONE).isBefore(startsAt());
        }
    }

    /** A person on an occasion's list, in order: booked (and marked) first by sign-up, then the waiting list. */
    @Serdeable
    public record Signup(long id, long personId, String name, String unitName, String status,
                         @Nullable Integer waitingPosition) {
    }

    /** A choice for the form: a module or a trainer, by name. */
    @Serdeable
    public record Choice(String value, String label) {
    }

    /** An account that may hold occasions at a node. */
    public record Trainer(long accountId, String name) {
    }

    /** Occasions of a month at a node and below, with the totals over those not cancelled. */
    @Serdeable
    public record Month(String month, List<Occasion> occasions, int capacity, int booked, int waiting, int attended,
                        int absent, int fillPercent) {
    }

    private final NamedSql sql;
    private final Access access;
    private final OrgNodeRepository nodes;
    private final ModuleReach reach;
    private final AuditLog audit;
    private final TransactionOperations<Connection> transactions;
    private final ApplicationEventPublisher<OccasionCancelled> cancellations;

    public Occasions(NamedSql sql, Access access, OrgNodeRepository nodes, ModuleReach reach, AuditLog audit,
                     TransactionOperations<Connection> transactions,
                     ApplicationEventPublisher<OccasionCancelled> cancellations) {
        this.sql = sql;
        this.access = access;
        this.nodes = nodes;
        this.reach = reach;
        this.audit = audit;
        this.transactions = transactions;
        this.cancellations = cancellations;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    private static final String SELECT = """
            SELECT o.id, o.module_code,
                   (SELECT mv.title FROM module_version mv WHERE mv.module_code = o.module_code
                    ORDER BY mv.version DESC LIMIT 1) AS title,
                   o.org_node_id, n.name AS node_name, DATE(o.starts_at) AS day, TIME(o.starts_at) AS start_time,
                   o.duration_minutes, o.place, o.video_url, o.trainer_account_id, ua.display_name AS trainer_name,
                   o.capacity, o.booked, o.signup_deadline, o.cancelled_at IS NOT NULL AS cancelled, o.cancel_reason,
                   (SELECT COUNT(*) FROM session_signup s WHERE s.occasion_id = o.id AND s.status = 'WAITING') AS waiting,
                   (SELECT COUNT(*) FROM session_signup s WHERE s.occasion_id = o.id AND s.status = 'ATTENDED') AS attended,
                   (SELECT COUNT(*) FROM session_signup s WHERE s.occasion_id = o.id AND s.status = 'ABSENT') AS absent
            FROM session_occasion o JOIN org_node n ON n.id = o.org_node_id
            LEFT JOIN user_account ua ON ua.id = o.trainer_account_id
            """;

    private static Occasion occasion(NamedSql.Row row) throws SQLException {
        return new Occasion(row.number("id"), row.string("module_code"), row.string("title"), row.number("org_node_id"),
                row.string("node_name"), row.date("day"), LocalTime.parse(row.string("start_time")),
                (int) row.number("duration_minutes"), row.string("place"), row.string("video_url"),
                row.nullableNumber("trainer_account_id"), row.string("trainer_name"), (int) row.number("capacity"),
                (int) row.number("booked"), row.date("signup_deadline"), row.flag("cancelled"),
                row.string("cancel_reason"), (int) row.number("waiting"), (int) row.number("attended"),
                (int) row.number("absent"), percent((int) row.number("booked"), (int) row.number("capacity")));
    }

    /** The occasion whatever the caller: for the other parts of the package, which check access themselves. */
    public Optional<Occasion> find(long id) {
        return sql.one(SELECT + " WHERE o.id = :id", NamedSql.with("id", id), Occasions::occasion);
    }

    /**
     * The occasion if the caller may see its list: a coordinator or administrator of its node (or above), or its own
     * trainer. Anyone else is refused as {@link Access#refusal} says (404 outside their organisation, else 403).
     */
    public Occasion readable(Authentication caller, long id) {
        Occasion o = find(id).orElseThrow(Access::notFound);
        if (manages(caller, o) || trains(caller, o)) {
            return o;
        }
        throw access.refusal(caller, o.orgNodeId());
    }

    /** The occasion if the caller may change it (cancel it): a coordinator or administrator of its node or above. */
    public Occasion manageable(Authentication caller, long id) {
        Occasion o = find(id).orElseThrow(Access::notFound);
        if (!manages(caller, o)) {
            throw access.refusal(caller, o.orgNodeId());
        }
        return o;
    }

    public boolean manages(Authentication caller, Occasion o) {
        return access.holdsOn(caller, o.orgNodeId(), Role.COORDINATOR, Role.ADMINISTRATOR);
    }

    /** The caller is the occasion's trainer and still holds the trainer role there (a revoked role stops at once). */
    public boolean trains(Authentication caller, Occasion o) {
        return Objects.equals(o.trainerAccountId(), Caller.of(caller).accountId())
                && access.holdsOn(caller, o.orgNodeId(), Role.TRAINER, Role.COORDINATOR);
    }

    /** Who is on the occasion's list, booked and marked first in sign-up order, then the waiting list in its order. */
    public List<Signup> signups(long occasionId) {
        return sql.list("""
                SELECT s.id, s.person_id, CONCAT(p.given_name, ' ', p.family_name) AS name, n.name AS unit_name, s.status,
                       CASE WHEN s.status = 'WAITING' THEN %s END AS position
                FROM session_signup s JOIN person p ON p.id = s.person_id JOIN org_node n ON n.id = p.org_node_id
                WHERE s.occasion_id = :occasion AND s.status <> 'CANCELLED'
                ORDER BY s.status = 'WAITING', CASE WHEN s.status = 'WAITING' THEN s.waiting_since ELSE s.signed_up_at END, s.id"""
                        .formatted(Signups.WAITING_POSITION),
                NamedSql.with("occasion", occasionId),
                row -> new Signup(row.number("id"), row.number("person_id"), row.string("name"), row.string("unit_name"),
                        row.string("status"), row.nullableInt("position")));
    }

    /** The occasions held at the node or below in the month, by start, with totals over those not cancelled. */
    public Month month(Authentication caller, long nodeId, YearMonth month) {
        nodes.require(nodeId);
        access.requireOn(caller, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR);
        List<Occasion> list = sql.list(SELECT + """
                JOIN org_closure c ON c.descendant_id = o.org_node_id AND c.ancestor_id = :node
                WHERE o.starts_at >= :from AND o.starts_at < :until ORDER BY o.starts_at, o.id""",
                NamedSql.with("node", nodeId).and("from", month.atDay(1)).and("until", month.plusMonths(1).atDay(1)),
                Occasions::occasion);
        int capacity = 0;
        int booked = 0;
        int waiting = 0;
        int attended = 0;
        int absent = 0;
        for (Occasion o : list) {
            if (!o.cancelled()) {
                capacity += o.capacity();
                booked += o.booked();
                waiting += o.waiting();
                attended += o.attended();
                absent += o.absent();
            }
        }
        return new Month(month.toString(), list, capacity, booked, waiting, attended, absent, percent(booked, capacity));
    }

    /** The caller's own occasions as trainer, the coming ones first, then the past ones latest first. */
    public List<Occasion> ofTrainer(Authentication caller) {
        return sql.list(SELECT + """
                WHERE o.trainer_account_id = :account ORDER BY o.starts_at, o.id""",
                NamedSql.with("account", Caller.of(caller).accountId()), Occasions::occasion)
                .stream().filter(o -> trains(caller, o))
                // starts_at is Swedish local time, so "coming" is decided here rather than against the database clock.
                .sorted(java.util.Comparator.comparing(Occasion::started)
                        .thenComparing(o -> o.started() ? -o.startsAt().toEpochSecond(java.time.ZoneOffset.UTC)
                                : o.startsAt().toEpochSecond(java.time.ZoneOffset.UTC)))
                .toList();
    }

    /** The session modules that may get occasions at the node: usable there and not withdrawn, by title. */
    public List<Choice> modulesAt(long nodeId) {
        return sql.list("""
                SELECT cm.code, mv.title FROM catalogue_module cm
                JOIN module_version mv ON mv.module_code = cm.code
                 AND mv.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = cm.code)
                WHERE cm.source = 'SESSION' AND\s""" + ModuleReach.USABLE_AT + " AND " + ModuleReach.OPEN
                        + " ORDER BY mv.title, cm.code",
                NamedSql.with("node", nodeId), row -> new Choice(row.string("code"), row.string("title")));
    }

    /** The accounts that may hold occasions at the node: trainers and coordinators granted on it or above, by name. */
    public List<Trainer> trainersAt(long nodeId) {
        return sql.list("""
                SELECT DISTINCT ua.id, ua.display_name FROM role_grant g
                JOIN org_closure c ON c.ancestor_id = g.org_node_id AND c.descendant_id = :node
                JOIN user_account ua ON ua.id = g.account_id
                WHERE g.role IN ('TRAINER', 'COORDINATOR') ORDER BY ua.display_name, ua.id""",
                NamedSql.with("node", nodeId), row -> new Trainer(row.number("id"), row.string("display_name")));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Create and cancel

    /**
     * A new occasion at the node, for a coordinator or administrator there (or above); see {@link #plan} for the checks.
     */
    public Occasion create(Authentication caller, long nodeId, NewOccasion n, @Nullable HttpRequest<?> request) {
        nodes.require(nodeId);
        access.requireOn(caller, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR);
        Occasion created = plan(nodeId, n, Caller.of(caller).accountId());
        audit.record(caller.getName(), CREATED, "tillfälle " + created.id() + " " + created.moduleCode() + " "
                + created.day(), request);
        return created;
    }

    /**
     * Writes a new occasion at the node once every field is right (else {@link OccasionRefused} with a Swedish message,
     * nothing written): a session module usable there, a day from today, a start time, 1..1440 minutes, a place and/or an
     * https video link, a trainer who holds TRAINER or COORDINATOR there or above (or none), 1..1000 places and a last
     * sign-up day from today up to the occasion's day. Who may ask is the caller's business ({@link #create}; the demo).
     */
    public Occasion plan(long nodeId, NewOccasion n, long createdBy) {
        OrgNode node = nodes.require(nodeId);
        String code = n.moduleCode() == null ? "" : n.moduleCode().strip();
        if (code.isEmpty() || modulesAt(nodeId).stream().noneMatch(c -> c.value().equals(code))) {
            throw new OccasionRefused("Välj en lärarledd modul som kan användas i " + node.name() + ".");
        }
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        if (n.day() == null) {
            throw new OccasionRefused("Ange tillfällets datum.");
        }
        if (n.day().isBefore(today)) {
            throw new OccasionRefused("Tillfällets datum har redan passerat; välj i dag eller senare.");
        }
        if (n.day().isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
            throw new OccasionRefused("Tillfället kan planeras högst " + MAX_YEARS_AHEAD + " år framåt.");
        }
        if (n.start() == null) {
            throw new OccasionRefused("Ange när tillfället börjar (tt:mm).");
        }
        if (n.durationMinutes() == null || n.durationMinutes() < 1 || n.durationMinutes() > MAX_MINUTES) {
            throw new OccasionRefused("Längden ska vara 1–" + MAX_MINUTES + " minuter.");
        }
        String place = blankToNull(n.place());
        String video = blankToNull(n.videoUrl());
        if (place == null && video == null) {
            throw new OccasionRefused("Ange en plats, en videolänk eller båda.");
        }
        if (place != null && place.length() > PLACE_LENGTH) {
            throw new OccasionRefused("Platsen får vara högst " + PLACE_LENGTH + " tecken.");
        }
        if (video != null && (video.length() > VIDEO_LENGTH || !httpsLink(video))) {
            throw new OccasionRefused("Videolänken ska vara en fullständig https-adress (högst " + VIDEO_LENGTH + " tecken).");
        }
        if (n.trainerAccountId() != null
                && trainersAt(nodeId).stream().noneMatch(t -> t.accountId() == n.trainerAccountId())) {
            throw new OccasionRefused("Välj en utbildare bland dem som har rollen utbildare eller utbildningssamordnare här.");
        }
        if (n.capacity() == null || n.capacity() < 1 || n.capacity() > MAX_CAPACITY) {
            throw new OccasionRefused("Antalet platser ska vara 1–" + MAX_CAPACITY + ".");
        }
        if (n.signupDeadline() == null) {
            throw new OccasionRefused("Ange sista dag att anmäla sig.");
        }
        if (n.signupDeadline().isAfter(n.day())) {
            throw new OccasionRefused("Sista anmälningsdag kan inte vara efter tillfällets datum.");
        }
        if (n.signupDeadline().isBefore(today)) {
            throw new OccasionRefused("Sista anmälningsdag har redan passerat; välj i dag eller senare.");
        }
        long id = sql.insert("""
                INSERT INTO session_occasion (module_code, org_node_id, starts_at, duration_minutes, place, video_url,
                                              trainer_account_id, capacity, signup_deadline, created_by)
                VALUES (:module, :node, :startsAt, :minutes, :place, :video, :trainer, :capacity, :deadline, :by)""",
                NamedSql.with("module", code).and("node", nodeId).and("startsAt", n.day().atTime(n.start()))
                        .and("minutes", n.durationMinutes()).and("place", place).and("video", video)
                        .and("trainer", n.trainerAccountId()).and("capacity", n.capacity())
                        .and("deadline", n.signupDeadline()).and("by", createdBy));
        return find(id).orElseThrow();
    }

    /**
     * Cancels the occasion with a reason: every booked and waiting place becomes CANCELLED and no place is taken any
     * more, in one transaction; then {@link OccasionCancelled} tells the mail to the people concerned. An occasion where
     * attendance has been marked took place and cannot be cancelled.
     */
    public Occasion cancel(Authentication caller, long id, @Nullable String reason, @Nullable HttpRequest<?> request) {
        manageable(caller, id);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new OccasionRefused("Skriv varför tillfället ställs in; det står i brevet till dem som anmält sig.");
        }
        if (why.length() > REASON_LENGTH) {
            throw new OccasionRefused("Skälet får vara högst " + REASON_LENGTH + " tecken.");
        }
        long account = Caller.of(caller).accountId();
        List<Long> people = transactions.executeWrite(status -> {
            // Locks the occasion, so that no sign-up or attendance slips in between the checks and the update.
            boolean open = sql.one("SELECT cancelled_at IS NULL AS open FROM session_occasion WHERE id = :id FOR UPDATE",
                    NamedSql.with("id", id), row -> row.flag("open")).orElse(false);
            if (!open) {
                throw new OccasionRefused("Tillfället är redan inställt.");
            }
            if (sql.number("SELECT COUNT(*) FROM session_signup WHERE occasion_id = :id AND status IN ('ATTENDED', 'ABSENT')",
                    NamedSql.with("id", id)) > 0) {
                throw new OccasionRefused("Närvaron är redan registrerad, så tillfället har ägt rum och kan inte ställas in.");
            }
            List<Long> concerned = sql.list("""
                    SELECT person_id FROM session_signup WHERE occasion_id = :id AND status IN ('BOOKED', 'WAITING')
                    ORDER BY id FOR UPDATE""", NamedSql.with("id", id), row -> row.number("person_id"));
            sql.update("""
                    UPDATE session_signup SET status = 'CANCELLED', active_flag = NULL, cancelled_at = CURRENT_TIMESTAMP(3)
                    WHERE occasion_id = :id AND status IN ('BOOKED', 'WAITING')""", NamedSql.with("id", id));
            sql.update("""
                    UPDATE session_occasion SET cancelled_at = CURRENT_TIMESTAMP, cancelled_by = :by, cancel_reason = :reason,
                                                booked = 0
                    WHERE id = :id""", NamedSql.with("id", id).and("by", account).and("reason", why));
            return concerned;
        });
        audit.record(caller.getName(), CANCELLED, "tillfälle " + id + ": " + why, request);
        cancellations.publishEvent(new OccasionCancelled(id, why, List.copyOf(people)));
        return find(id).orElseThrow();
    }

    /** A month as asked for ("2027-01"); none is this month (Swedish time). */
    public static YearMonth month(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return YearMonth.now(SwedishTime.ZONE);
        }
        try {
            YearMonth month = YearMonth.parse(text.strip());
            if (month.getYear() < 2000 || month.getYear() > 2100) {
                throw new OccasionRefused("Månaden ska vara mellan 2000-01 och 2100-12.");
            }
            return month;
        } catch (java.time.format.DateTimeParseException e) {
            throw new OccasionRefused("Ange månaden som ÅÅÅÅ-MM, till exempel 2027-01.");
        }
    }

    /** A start time as typed ("9:30", "09:30"); blank is none (the service asks for it). */
    public static @Nullable LocalTime time(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(text.strip().length() == 4 ? "0" + text.strip() : text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new OccasionRefused("Ange starttiden som tt:mm, till exempel 09:30.");
        }
    }

    /** Places taken as a share of the places, in whole per cent (fill rate). */
    static int percent(int booked, int capacity) {
        return capacity == 0 ? 0 : Math.round(booked * 100f / capacity);
    }

    static boolean httpsLink(String text) {
        try {
            URI uri = new URI(text);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}

package se.kompetensmal.sessions;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.standing.Standing;
import se.kompetensmal.sql.NamedSql;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The learner's side of an occasion: signing up (a place while there is one, else the waiting list), cancelling before
 * the deadline, and the waiting list moving up by itself. A place is taken by one conditional update of the occasion's
 * {@code booked} counter, so an occasion is never over capacity, whatever instances or threads ask at once.
 */
@Singleton
@Connectable
public class Signups {

    /**
     * SQL: the place in the waiting list of the sign-up aliased {@code s} (1 = next to move up), in the order the list
     * moves up: who waited first, then who signed up first.
     */
    public static final String WAITING_POSITION = """
            (SELECT COUNT(*) FROM session_signup w
             WHERE w.occasion_id = s.occasion_id AND w.status = 'WAITING'
               AND (w.waiting_since < s.waiting_since OR (w.waiting_since = s.waiting_since AND w.id <= s.id)))""";

    /** SQL: the sign-up aliased {@code s} holds a place or waits for one. */
    public static final String LIVE = "s.status IN ('BOOKED', 'WAITING')";

    /** The columns of an occasion read by {@link #occasion}, FROM the occasion aliased {@code o} and what names it. */
    static final String OCCASION_COLUMNS = """
            o.id, o.module_code, o.starts_at, o.duration_minutes, o.place, o.video_url, o.capacity, o.booked,
            o.signup_deadline, o.cancelled_at, n.name AS node_name, ua.display_name AS trainer,
            (SELECT mv.title FROM module_version mv WHERE mv.module_code = o.module_code ORDER BY mv.version DESC LIMIT 1) AS title
            FROM session_occasion o
            JOIN org_node n ON n.id = o.org_node_id
            LEFT JOIN user_account ua ON ua.id = o.trainer_account_id""";

    private final NamedSql sql;
    private final ApplicationEventPublisher<SignupMovedUp> movedUp;

    public Signups(NamedSql sql, ApplicationEventPublisher<SignupMovedUp> movedUp) {
        this.sql = sql;
        this.movedUp = movedUp;
    }

    /** An occasion as a learner sees it. Times are Swedish local time. */
    @Serdeable
    public record Occasion(long id, String moduleCode, String title, LocalDateTime startsAt, int durationMinutes,
                           @Nullable String place, @Nullable String videoUrl, @Nullable String trainer, String nodeName,
                           int capacity, int booked, LocalDate signupDeadline, boolean cancelled) {

        public LocalDateTime endsAt() {
            return startsAt.plusMinutes(durationMinutes);
        }

        /** The day, YYYY-MM-DD. */
        public LocalDate day() {
            return startsAt.toLocalDate();
        }

        /** From and to, HH:MM–HH:MM. */
        public String time() {
            return startsAt.toLocalTime() + "–" + endsAt().toLocalTime();
        }

        public int placesLeft() {
            return Math.max(0, capacity - booked);
        }

        public boolean full() {
            return booked >= capacity;
        }

        /** Signing up or cancelling is open on this day (the deadline is inclusive). */
        public boolean openOn(LocalDate today) {
            return !cancelled && !today.isAfter(signupDeadline);
        }
    }

    /** The learner's live sign-up for a module: the occasion, and the place in the waiting list when waiting. */
    @Serdeable
    public record Mine(long signupId, Occasion occasion, Status status, @Nullable Integer waitingPosition) {
        public boolean waiting() {
            return status == Status.WAITING;
        }
    }

    public enum Status { BOOKED, WAITING, CANCELLED, ATTENDED, ABSENT }

    /** Why a sign-up or cancellation was refused, in Swedish for the learner. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * SQL condition: the occasion {@code o} is held at or above a unit where the person {@code :person} is placed now (any
     * of their current placements).
     */
    private static final String HELD_WHERE_PLACED = """
            EXISTS (SELECT 1 FROM current_placement pl
                    JOIN org_closure c ON c.descendant_id = pl.org_node_id AND c.ancestor_id = o.org_node_id
                    WHERE pl.person_id = :person)""";

    /**
     * The occasions of the module the person can sign up for: held by one of their units or a node above it, not cancelled, not
     * started yet; soonest first.
     */
    public List<Occasion> upcoming(long personId, String moduleCode, LocalDateTime now) {
        return sql.list("SELECT " + OCCASION_COLUMNS + """

                WHERE %s AND o.module_code = :code AND o.cancelled_at IS NULL AND o.starts_at > :now
                ORDER BY o.starts_at, o.id""".formatted(HELD_WHERE_PLACED),
                NamedSql.with("person", personId).and("code", moduleCode).and("now", Timestamp.valueOf(now)), Signups::occasion);
    }

    /** One occasion of the module reachable by the person (one of their units or above), cancelled or not. */
    public Optional<Occasion> reachable(long personId, String moduleCode, long occasionId) {
        return sql.one("SELECT " + OCCASION_COLUMNS + """

                WHERE %s AND o.id = :occasion AND o.module_code = :code""".formatted(HELD_WHERE_PLACED),
                NamedSql.with("person", personId).and("code", moduleCode).and("occasion", occasionId), Signups::occasion);
    }

    /** The person's live sign-up (booked or waiting) for the module, if any. */
    public Optional<Mine> mine(long personId, String moduleCode) {
        return sql.one("""
                        SELECT s.id AS signup_id, s.status, IF(s.status = 'WAITING', %s, NULL) AS position, %s
                        JOIN session_signup s ON s.occasion_id = o.id
                        WHERE s.person_id = :person AND o.module_code = :code AND %s""".formatted(
                        WAITING_POSITION, OCCASION_COLUMNS, LIVE),
                NamedSql.with("person", personId).and("code", moduleCode),
                row -> new Mine(row.number("signup_id"), occasion(row), Status.valueOf(row.string("status")),
                        row.nullableInt("position")));
    }

    /**
     * Signs the person up for the occasion: a place if one is free, else the waiting list. Only someone with the module
     * still to do, on the occasion's node or below, by the last day to sign up, and with no other live sign-up for the
     * module. The person's row is locked first, so two sign-ups of the same person at once cannot both pass that check.
     */
    @Transactional
    public Status signUp(long personId, String moduleCode, long occasionId, LocalDateTime now) {
        LocalDate today = now.toLocalDate();
        sql.number("SELECT id FROM person WHERE id = :person FOR UPDATE", NamedSql.with("person", personId));
        // The occasion too: a cancellation at the same moment is either seen here or comes after this sign-up.
        sql.number("SELECT id FROM session_occasion WHERE id = :occasion FOR UPDATE", NamedSql.with("occasion", occasionId));
        Occasion occasion = reachable(personId, moduleCode, occasionId)
                .orElseThrow(() -> new Refused("Tillfället finns inte."));
        if (occasion.cancelled()) {
            throw new Refused("Tillfället är inställt.");
        }
        if (today.isAfter(occasion.signupDeadline()) || !occasion.startsAt().isAfter(now)) {
            throw new Refused("Sista dag att anmäla sig till tillfället var " + occasion.signupDeadline() + ".");
        }
        if (sql.number("SELECT COUNT(*) FROM assignment a WHERE a.person_id = :person AND a.module_code = :code AND "
                + Standing.STILL_TO_DO, NamedSql.with("person", personId).and("code", moduleCode)) == 0) {
            throw new Refused("Du kan bara anmäla dig till en utbildning som du har kvar att genomföra.");
        }
        if (mine(personId, moduleCode).isPresent()) {
            throw new Refused("Du är redan anmäld till ett tillfälle för den här utbildningen. Avboka det först om du vill byta.");
        }
        boolean placeTaken = sql.update("""
                UPDATE session_occasion SET booked = booked + 1
                WHERE id = :occasion AND booked < capacity AND cancelled_at IS NULL""",
                NamedSql.with("occasion", occasionId)) == 1;
        Status status = placeTaken ? Status.BOOKED : Status.WAITING;
        sql.insert("""
                INSERT INTO session_signup (occasion_id, person_id, status, active_flag, waiting_since)
                VALUES (:occasion, :person, :status, 1, IF(:waiting, CURRENT_TIMESTAMP(3), NULL))""",
                NamedSql.with("occasion", occasionId).and("person", personId).and("status", status)
                        .and("waiting", status == Status.WAITING));
        return status;
    }

    /**
     * Cancels the person's live sign-up for the occasion, until the last day to sign up (inclusive). A place given back
     * goes at once to the first on the waiting list, in the same transaction; they get a mail once it is committed.
     * The occasion's row is locked first: a sign-up at the same moment waits and cannot take the place given back
     * ahead of the waiting list.
     */
    @Transactional
    public void cancel(long personId, String moduleCode, long occasionId, LocalDate today) {
        Occasion occasion = reachable(personId, moduleCode, occasionId).orElseThrow(() -> new Refused("Tillfället finns inte."));
        if (today.isAfter(occasion.signupDeadline())) {
            throw new Refused("Sista dag att avboka var " + occasion.signupDeadline()
                    + ". Kontakta din utbildningssamordnare om du inte kan komma.");
        }
        sql.number("SELECT id FROM session_occasion WHERE id = :occasion FOR UPDATE", NamedSql.with("occasion", occasionId));
        Optional<Status> was = sql.one("""
                SELECT s.status FROM session_signup s
                WHERE s.occasion_id = :occasion AND s.person_id = :person AND s.status IN ('BOOKED', 'WAITING')""",
                NamedSql.with("occasion", occasionId).and("person", personId), row -> Status.valueOf(row.string("status")));
        if (was.isEmpty()) {
            throw new Refused("Du är inte anmäld till det tillfället.");
        }
        sql.update("""
                UPDATE session_signup SET status = 'CANCELLED', active_flag = NULL, cancelled_at = CURRENT_TIMESTAMP(3)
                WHERE occasion_id = :occasion AND person_id = :person AND status IN ('BOOKED', 'WAITING')""",
                NamedSql.with("occasion", occasionId).and("person", personId));
        if (was.get() == Status.BOOKED) {
            sql.update("UPDATE session_occasion SET booked = booked - 1 WHERE id = :occasion", NamedSql.with("occasion", occasionId));
            moveUp(occasionId);
        }
    }

    /** The first on the waiting list takes the free place, if there is one and someone waits. */
    private void moveUp(long occasionId) {
        Optional<Long> first = sql.one("""
                SELECT s.id FROM session_signup s WHERE s.occasion_id = :occasion AND s.status = 'WAITING'
                ORDER BY s.waiting_since, s.id LIMIT 1 FOR UPDATE""",
                NamedSql.with("occasion", occasionId), row -> row.number("id"));
        if (first.isEmpty()) {
            return;
        }
        if (sql.update("UPDATE session_occasion SET booked = booked + 1 WHERE id = :occasion AND booked < capacity",
                NamedSql.with("occasion", occasionId)) == 1) {
            sql.update("UPDATE session_signup SET status = 'BOOKED', moved_up_at = CURRENT_TIMESTAMP(3) WHERE id = :signup",
                    NamedSql.with("signup", first.get()));
            movedUp.publishEvent(new SignupMovedUp(first.get()));
        }
    }

    /** A DATETIME as the driver gives it as text ({@code 2027-01-12 09:00:00}); it is Swedish local time. */
    static LocalDateTime dateTime(String text) {
        return LocalDateTime.parse(text.replace(' ', 'T'));
    }

    static Occasion occasion(NamedSql.Row row) throws SQLException {
        return new Occasion(row.number("id"), row.string("module_code"), row.string("title"),
                dateTime(row.string("starts_at")), (int) row.number("duration_minutes"), row.string("place"),
                row.string("video_url"), row.string("trainer"), row.string("node_name"), (int) row.number("capacity"),
                (int) row.number("booked"), row.date("signup_deadline"), row.string("cancelled_at") != null);
    }
}

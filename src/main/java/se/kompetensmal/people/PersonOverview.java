package se.kompetensmal.people;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.learning.LearningHistory;
import se.kompetensmal.sql.NamedSql;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything the person page shows of one person, in names people know: their placement, audiences by name, what they
 * must do with where each thing stands, what they have done, and what they are exempted from. Reads only; the assignments
 * and exemptions are written by {@code routines}.
 */
@Singleton
public class PersonOverview {

    private final PersonQueries people;
    private final ModuleTitles titles;
    private final LearningHistory history;
    private final NamedSql sql;

    public PersonOverview(PersonQueries people, ModuleTitles titles, LearningHistory history, NamedSql sql) {
        this.people = people;
        this.titles = titles;
        this.history = history;
        this.sql = sql;
    }

    /** One cycle of a module the person must (or had to) complete, with its status and why it is there. */
    public record Assignment(String moduleCode, String title, int cycle, LocalDate dueDate, @Nullable LocalDate opensOn,
                             AssignmentStatus status, @Nullable String routine, @Nullable String assignedBy,
                             @Nullable LocalDate completedOn, @Nullable LocalDate validUntil) {

        public String statusSv() {
            return status.labelSv();
        }

        public boolean overdue() {
            return status == AssignmentStatus.OVERDUE;
        }

        public boolean open() {
            return status.open();
        }
    }

    public record Exemption(String moduleCode, String title, String reason, @Nullable String evidence, String grantedBy,
                            LocalDate grantedOn) {
    }

    public record Overview(PersonView person, List<String> audienceNames, List<Assignment> assignments,
                           LearningHistory.History history, List<Exemption> exemptions, long overdue, long dueSoon) {

        public boolean active() {
            return person.status() == PersonStatus.ACTIVE;
        }

        /** The assignments still to do: what a reminder would list. */
        public List<Assignment> open() {
            return assignments.stream().filter(Assignment::open).toList();
        }
    }

    public Overview of(PersonView person, LocalDate today) {
        List<String> audienceNames = person.audienceNames();
        Map<String, String> moduleTitles = titles.all();
        Function<String, String> title = code -> moduleTitles.getOrDefault(code, code);
        List<Assignment> assignments = sql.list("""
                SELECT a.module_code, a.cycle, a.due_date, a.opens_on, r.name AS routine_name, 
                       -- Who assigned it, by name: the column keeps the user name of the account.
                       COALESCE((SELECT ua.display_name FROM user_account ua WHERE ua.username = a.assigned_by), a.assigned_by) AS assigned_by,
                       c.completed_on, a.valid_until, a.withdrawn_at IS NOT NULL AS withdrawn, a.completion_id IS NOT NULL AS done,
                       EXISTS (SELECT 1 FROM exemption e WHERE e.person_id = a.person_id AND e.module_code = a.module_code) AS exempted
                FROM assignment a LEFT JOIN routine r ON r.id = a.routine_id LEFT JOIN counted_completion c ON c.id = a.completion_id
                WHERE a.person_id = :person
                ORDER BY a.withdrawn_at IS NOT NULL, a.completion_id IS NOT NULL, a.due_date, a.module_code, a.cycle""",
                NamedSql.with("person", person.id()), row -> new Assignment(row.string("module_code"),
                        title.apply(row.string("module_code")), row.nullableInt("cycle"), row.date("due_date"),
                        row.date("opens_on"), AssignmentStatus.of(row.flag("withdrawn"), row.flag("done"), row.flag("exempted"),
                        row.date("due_date"), today), row.string("routine_name"), row.string("assigned_by"),
                        row.date("completed_on"), row.date("valid_until")));
        List<Exemption> exemptions = sql.list("""
                SELECT e.module_code, e.reason, e.evidence, e.granted_by, e.granted_at FROM exemption e
                WHERE e.person_id = :person ORDER BY e.granted_at DESC, e.id DESC""", NamedSql.with("person", person.id()),
                row -> new Exemption(row.string("module_code"), title.apply(row.string("module_code")), row.string("reason"),
                        row.string("evidence"), row.string("granted_by"), row.swedishDay("granted_at")));
        return new Overview(person, audienceNames, assignments, history.of(person.id(), null, today), exemptions,
                assignments.stream().filter(a -> a.status() == AssignmentStatus.OVERDUE).count(),
                assignments.stream().filter(a -> a.status() == AssignmentStatus.DUE_SOON).count());
    }

    public Overview of(PersonView person) {
        return of(person, LocalDate.now(SwedishTime.ZONE));
    }
}

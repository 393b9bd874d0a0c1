package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What one person has to do, as "Min utbildning" shows it: overdue, due soon, to do later, and done (completed or
 * exempted). A renewal whose window has not opened yet is not listed: the completion it follows shows until when it holds.
 */
@Singleton
@Connectable
public class MyTraining {

    /** Due within this many days counts as due soon. */
    static final int DUE_SOON_DAYS = 14;

    private final JdbcOperations jdbc;

    public MyTraining(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One module to take or taken, and why it is asked for: by a routine, or by the coordinator who assigned it.
     * {@code started} says the learner has begun it and can continue where they left off.
     */
    @Serdeable
    public record Item(String moduleCode, String title, int minutes, int cycle, LocalDate dueDate, @Nullable String routine,
                       String assignedBy, boolean started, @Nullable Long completionId, @Nullable LocalDate completedOn,
                       @Nullable Integer score, @Nullable LocalDate validUntil, boolean expired, @Nullable String exemption) {
    }

    @Serdeable
    public record Overview(List<Item> overdue, List<Item> dueSoon, List<Item> toDo, List<Item> done) {
        public boolean empty() {
            return overdue.isEmpty() && dueSoon.isEmpty() && toDo.isEmpty() && done.isEmpty();
        }
    }

    public Overview of(long personId, LocalDate today) {
        List<Item> overdue = new ArrayList<>();
        List<Item> dueSoon = new ArrayList<>();
        List<Item> toDo = new ArrayList<>();
        List<Item> done = new ArrayList<>();
        jdbc.prepareStatement("""
                SELECT a.module_code, mv.title, mv.estimated_minutes, a.cycle, a.due_date, a.opens_on, r.name, a.assigned_by,
                       c.completed_on, c.score, a.valid_until, e.reason, c.id, mp.person_id IS NOT NULL
                FROM assignment a
                JOIN module_version mv ON mv.module_code = a.module_code
                 AND mv.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = a.module_code)
                LEFT JOIN routine r ON r.id = a.routine_id
                LEFT JOIN completion c ON c.id = a.completion_id
                LEFT JOIN exemption e ON e.person_id = a.person_id AND e.module_code = a.module_code
                LEFT JOIN module_progress mp ON mp.person_id = a.person_id AND mp.module_code = a.module_code
                WHERE a.person_id = ? AND a.withdrawn_at IS NULL
                ORDER BY a.due_date, mv.title, a.cycle""", statement -> {
            statement.setLong(1, personId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    LocalDate due = rs.getObject(5, LocalDate.class);
                    LocalDate opens = rs.getObject(6, LocalDate.class);
                    LocalDate completed = rs.getObject(9, LocalDate.class);
                    LocalDate validUntil = rs.getObject(11, LocalDate.class);
                    String exemption = rs.getString(12);
                    Item item = new Item(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), due, rs.getString(7),
                            rs.getString(8), rs.getBoolean(14), rs.getObject(13, Long.class), completed,
                            rs.getObject(10, Integer.class), validUntil, validUntil != null && validUntil.isBefore(today),
                            exemption);
                    boolean renewalNotOpenYet = opens != null && opens.isAfter(today);
                    if (completed != null || exemption != null) {
                        done.add(item);
                    } else if (due.isBefore(today)) {
                        overdue.add(item);
                    } else if (!due.isAfter(today.plusDays(DUE_SOON_DAYS))) {
                        dueSoon.add(item);
                    } else if (!renewalNotOpenYet) {
                        toDo.add(item);
                    }
                }
            }
            return null;
        });
        return new Overview(overdue, dueSoon, toDo, done);
    }
}

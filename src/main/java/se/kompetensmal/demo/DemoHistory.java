package se.kompetensmal.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Completions for the demo region's licensed staff, so that leaders have figures and a trend to look at: most took their
 * introduction some weeks or months after starting (some late), and most renewed basic hygiene in its window. Derived
 * from each HSA-id, so every demo load is the same. The demo accounts' own people keep a clean slate.
 */
@Singleton
@Requires(property = "kompetensmal.demo-data", value = "true")
class DemoHistory {

    private static final List<String> INTRODUCTION = List.of("vardskador-grunder", "sakerhetskultur-och-risker");
    private static final String HYGIENE = "basala-hygienrutiner";

    private final JdbcOperations jdbc;
    private final Completions completions;

    DemoHistory(JdbcOperations jdbc, Completions completions) {
        this.jdbc = jdbc;
        this.completions = completions;
    }

    record Nurse(long id, String hsaId, LocalDate roleStart) {
    }

    @Transactional
    public void record(long region, List<String> keepClean) {
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        for (Nurse nurse : licensedStaff(region)) {
            if (keepClean.contains(nurse.hsaId())) {
                continue;
            }
            int seed = Math.floorMod(nurse.hsaId().hashCode(), 1000);
            if (seed % 10 < 7) {
                LocalDate taken = nurse.roleStart().plusDays(20 + seed % 120);
                if (taken.isBefore(today)) {
                    INTRODUCTION.forEach(module -> complete(nurse, module, taken, 80 + seed % 21));
                }
            }
            if (seed % 10 < 6) {
                complete(nurse, HYGIENE, LocalDate.of(2025, 11, 3).plusDays(seed % 50), 75 + seed % 26);
            } else if (seed % 10 < 8) {
                complete(nurse, HYGIENE, LocalDate.of(2024, 10, 1).plusDays(seed % 60), 90);
            }
        }
    }

    private void complete(Nurse nurse, String module, LocalDate on, int score) {
        long version = jdbc.prepareStatement("SELECT MAX(id) FROM module_version WHERE module_code = ?", statement -> {
            statement.setString(1, module);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        completions.record(nurse.id(), version, on, score, 60 * (12 + score % 9), Completions.Source.INTERNAL);
    }

    private List<Nurse> licensedStaff(long region) {
        return jdbc.prepareStatement("""
                SELECT p.id, p.hsa_id, p.role_start_date FROM org_closure c JOIN person p ON p.org_node_id = c.descendant_id
                JOIN person_audience pa ON pa.person_id = p.id JOIN audience a ON a.id = pa.audience_id
                WHERE c.ancestor_id = ? AND a.code = 'LICENSED' AND p.status = 'ACTIVE' ORDER BY p.id""", statement -> {
            statement.setLong(1, region);
            List<Nurse> nurses = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    nurses.add(new Nurse(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDate.class)));
                }
            }
            return nurses;
        });
    }
}

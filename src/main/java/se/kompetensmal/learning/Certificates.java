package se.kompetensmal.learning;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** What a certificate of a completed module states, for the learner who completed it. */
@Singleton
@Connectable
public class Certificates {

    private final JdbcOperations jdbc;
    private final ModuleVersions modules;
    private final se.kompetensmal.web.Texts texts;

    public Certificates(JdbcOperations jdbc, ModuleVersions modules, se.kompetensmal.web.Texts texts) {
        this.jdbc = jdbc;
        this.modules = modules;
        this.texts = texts;
    }

    public record Certificate(long completionId, String name, String hsaId, String moduleCode, String moduleTitle, int version,
                              LocalDate completedOn, @Nullable Integer score, @Nullable LocalDate validUntil,
                              List<ModuleVersions.Goal> goals, @Nullable String kind) {

        /**
         * Named by what it certifies, as people know the module (intyg-saker-lakemedelshantering-2026-12-01.pdf); with the
         * person's name first when staff download someone else's, so that a folder of them can be told apart.
         */
        public String fileName(boolean withPersonName) {
            return "intyg-" + (withPersonName ? se.kompetensmal.web.FileNames.slug(name) + "-" : "")
                    + se.kompetensmal.web.FileNames.slug(moduleTitle) + "-" + completedOn + ".pdf";
        }
    }

    /**
     * The certificate of one of the person's own completions, saying what kind it is when it was not taken here; empty
     * for anyone else's and for a voided one (it reads the view counted_completion: a voided completion certifies nothing).
     */
    public Optional<Certificate> of(long personId, long completionId, String language) {
        return jdbc.prepareStatement("""
                SELECT p.given_name, p.family_name, p.hsa_id, c.module_version_id, c.completed_on, c.score, a.valid_until,
                       %s
                FROM counted_completion c JOIN person p ON p.id = c.person_id
                LEFT JOIN assignment a ON a.completion_id = c.id
                WHERE c.id = ? AND c.person_id = ?""".formatted(CompletionKinds.COLUMNS), statement -> {
            statement.setLong(1, completionId);
            statement.setLong(2, personId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ModuleVersions.Version module = modules.byId(rs.getLong(4), language).orElseThrow();
                return Optional.of(new Certificate(completionId, rs.getString(1) + " " + rs.getString(2), rs.getString(3),
                        module.code(), module.title(), module.version(), rs.getObject(5, LocalDate.class),
                        rs.getObject(6, Integer.class), rs.getObject(7, LocalDate.class), module.goals(),
                        CompletionKinds.describe(CompletionKinds.read(rs), texts.in(language))));
            }
        });
    }
}

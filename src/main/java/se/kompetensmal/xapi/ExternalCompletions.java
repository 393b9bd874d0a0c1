package se.kompetensmal.xapi;

import gov.adlnet.xapi.model.Actor;
import gov.adlnet.xapi.model.Statement;
import gov.adlnet.xapi.model.StatementResult;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.learning.Completions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completions of external modules, read from the LRS: statements "completed" or "passed" about a module's xAPI activity
 * by a learner known by HSA-id become completions here, marked as reported from elsewhere, once per statement. They
 * count in routines and reports like any other. Read on a schedule and when an administrator asks.
 */
@Singleton
@Connectable
@Requires(property = "kompetensmal.xapi.endpoint", pattern = ".+")
public class ExternalCompletions {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalCompletions.class);
    private static final List<String> VERBS = List.of(LearningRecords.ADL + "completed", LearningRecords.ADL + "passed");

    private final Lrs lrs;
    private final JdbcOperations jdbc;
    private final Completions completions;

    public ExternalCompletions(Lrs lrs, JdbcOperations jdbc, Completions completions) {
        this.lrs = lrs;
        this.jdbc = jdbc;
        this.completions = completions;
    }

    /** What one reading found: completions recorded, statements already recorded, statements about unknown people. */
    @Serdeable
    public record Reading(int recorded, int alreadyKnown, int unknownPeople) {
    }

    private record ExternalModule(long versionId, String activityId) {
    }

    @Scheduled(fixedDelay = "${kompetensmal.xapi.import-interval:1h}", initialDelay = "${kompetensmal.xapi.import-interval:1h}")
    void onSchedule() {
        try {
            Reading reading = read();
            LOG.info("Externa genomföranden från LRS: {} nya, {} redan kända, {} okända personer", reading.recorded(),
                    reading.alreadyKnown(), reading.unknownPeople());
        } catch (UncheckedIOException e) {
            LOG.warn("LRS kunde inte läsas: {}", e.getMessage());
        }
    }

    public Reading read() {
        int recorded = 0;
        int known = 0;
        int unknown = 0;
        for (ExternalModule module : externalModules()) {
            for (String verb : VERBS) {
                for (Statement statement : statements(module.activityId(), verb)) {
                    Optional<Long> person = person(statement.getActor());
                    if (person.isEmpty()) {
                        unknown++;
                    } else if (record(person.get(), module, statement)) {
                        recorded++;
                    } else {
                        known++;
                    }
                }
            }
        }
        return new Reading(recorded, known, unknown);
    }

    private boolean record(long personId, ExternalModule module, Statement statement) {
        Integer score = statement.getResult() != null && statement.getResult().getScore() != null
                ? Math.round(statement.getResult().getScore().getScaled() * 100) : null;
        LocalDate on = Instant.parse(statement.getTimestamp()).atZone(SwedishTime.ZONE).toLocalDate();
        return completions.recordReported(personId, module.versionId(), on, score, statement.getId()).isPresent();
    }

    private List<Statement> statements(String activityId, String verb) {
        try {
            LrsClient client = lrs.client();
            StatementResult page = client.filterByActivity(activityId).filterByVerb(verb).getStatements();
            List<Statement> statements = new ArrayList<>(page.getStatements());
            while (page.hasMore() && page.getMore() != null && !page.getMore().isEmpty()) {
                page = lrs.client().getStatements(page.getMore());
                statements.addAll(page.getStatements());
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The learner, by the HSA-id of the statement's account. */
    private Optional<Long> person(@Nullable Actor actor) {
        if (actor == null || actor.getAccount() == null || actor.getAccount().getName() == null) {
            return Optional.empty();
        }
        return jdbc.prepareStatement("SELECT id FROM person WHERE hsa_id = ?", statement -> {
            statement.setString(1, actor.getAccount().getName());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
            }
        });
    }

    /** The latest version of every external module. */
    private List<ExternalModule> externalModules() {
        return jdbc.prepareStatement("""
                SELECT m.id, m.xapi_activity_id FROM module_version m WHERE m.xapi_activity_id IS NOT NULL
                  AND m.version = (SELECT MAX(l.version) FROM module_version l WHERE l.module_code = m.module_code)""", statement -> {
            List<ExternalModule> modules = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    modules.add(new ExternalModule(rs.getLong(1), rs.getString(2)));
                }
            }
            return modules;
        });
    }
}

package se.kompetensmal.routines;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import se.kompetensmal.learning.CompletionVoided;
import se.kompetensmal.sql.NamedSql;

/**
 * When a completion is voided, the assignments follow, in the voiding's transaction: the cycle it fulfilled is open
 * again (no completion, no validity), the later cycles of the chain that were opened because of it and are not fulfilled
 * are withdrawn (the next cycle exists only because the one before was done), and the person is recomputed, so that
 * another counted completion done in the cycle's window fulfils it again and the chain grows back from there.
 */
@Singleton
public class CompletionVoidedReopening {

    private final NamedSql sql;
    private final AssignmentRecompute recompute;

    public CompletionVoidedReopening(NamedSql sql, AssignmentRecompute recompute) {
        this.sql = sql;
        this.recompute = recompute;
    }

    @EventListener
    public void on(CompletionVoided voided) {
        NamedSql.Params params = NamedSql.with("completion", voided.completionId()).and("person", voided.personId())
                .and("module", voided.moduleCode());
        sql.update("""
                UPDATE assignment later
                JOIN assignment took ON took.person_id = later.person_id AND took.module_code = later.module_code
                     AND took.completion_id = :completion
                SET later.withdrawn_at = CURRENT_TIMESTAMP
                WHERE later.person_id = :person AND later.module_code = :module AND later.cycle > took.cycle
                  AND later.completion_id IS NULL AND later.withdrawn_at IS NULL""", params);
        sql.update("UPDATE assignment SET completion_id = NULL, valid_until = NULL WHERE completion_id = :completion", params);
        recompute.recomputePerson(voided.personId());
    }
}

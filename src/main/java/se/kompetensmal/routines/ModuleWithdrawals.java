package se.kompetensmal.routines;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.catalog.ModuleWithdrawn;
import se.kompetensmal.sql.NamedSql;

import java.util.List;

/**
 * What a module's withdrawal does to assignments: the open ones nobody has started are withdrawn, as a retired routine's
 * are (the row is kept with {@code withdrawn_at}; never deleted), so nobody is asked to take it any more; those who
 * started finish, and completions and history stay. The recomputation then runs under where the module was usable, as
 * after a retirement; it gives nobody a new assignment or cycle of a withdrawn module ({@link AssignmentRecompute}).
 */
@Singleton
public class ModuleWithdrawals {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleWithdrawals.class);

    private final NamedSql sql;
    private final RecomputeJobs jobs;

    public ModuleWithdrawals(NamedSql sql, RecomputeJobs jobs) {
        this.sql = sql;
        this.jobs = jobs;
    }

    @EventListener
    @Transactional
    public void on(ModuleWithdrawn event) {
        int withdrawn = sql.update("""
                UPDATE assignment a SET a.withdrawn_at = CURRENT_TIMESTAMP
                WHERE a.module_code = :code AND a.withdrawn_at IS NULL AND a.completion_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM module_progress mp
                                  WHERE mp.person_id = a.person_id AND mp.module_code = a.module_code)""",
                NamedSql.with("code", event.code()));
        String by = sql.one("SELECT username FROM user_account WHERE id = :account",
                NamedSql.with("account", event.byAccountId()), row -> row.string("username")).orElse("system");
        // Where the module could be used: its owner's subtree, or every organisation for a module for everyone.
        List<Long> scopes = sql.list("""
                SELECT COALESCE(cm.owner_org_id, n.id) AS scope FROM catalogue_module cm
                LEFT JOIN org_node n ON cm.owner_org_id IS NULL AND n.parent_id IS NULL
                WHERE cm.code = :code AND (cm.owner_org_id IS NOT NULL OR n.id IS NOT NULL)""",
                NamedSql.with("code", event.code()), row -> row.number("scope"));
        scopes.forEach(scope -> jobs.request(scope, by));
        LOG.info("Module {} withdrawn: {} open assignment(s) not started withdrawn, recomputation queued under {}",
                event.code(), withdrawn, scopes);
    }
}

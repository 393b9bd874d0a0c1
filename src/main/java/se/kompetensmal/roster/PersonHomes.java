package se.kompetensmal.roster;

import jakarta.inject.Singleton;
import se.kompetensmal.sql.NamedSql;

/**
 * The one home of what the person row repeats from their placements (migration V28): the home placement (unit and start
 * dates of the earliest current placement, the lower id breaking a tie) and person_audience (the union of the current
 * placements' audiences). Set-based, for one person or for everyone an import touched. Every person keeps at least one
 * current placement (PersonRecords refuses to end the last one; someone who leaves keeps theirs).
 */
@Singleton
class PersonHomes {

    /** Which people: one, or those with a placement the import wrote or ended (placement.last_import_id). */
    private static final String ONE = "SELECT :person";
    private static final String OF_IMPORT = "SELECT x.person_id FROM placement x WHERE x.last_import_id = :import";

    private final NamedSql sql;

    PersonHomes(NamedSql sql) {
        this.sql = sql;
    }

    void derive(long personId) {
        derive(ONE, NamedSql.with("person", personId));
    }

    void deriveForImport(long importId) {
        derive(OF_IMPORT, NamedSql.with("import", importId));
    }

    private void derive(String whom, NamedSql.Params params) {
        // The home found by a correlated subquery, not a windowed derived table: in an import's streamed transaction on
        // Galera (LargeTransactions) MariaDB refuses a statement that materialises one (error 4165). The subquery is
        // told to read the person's placements by person: in an import's transaction on a new database the placement
        // statistics still say "empty", and MariaDB 11.4 then scanned the unit index for every person instead, 100 s
        // for 10,000 people against 0.5 s with the hint (LargeHistoryImportTest, issue 22's runs).
        sql.update("""
                UPDATE person p JOIN placement h ON h.id = (
                    SELECT f.id FROM placement f FORCE INDEX (uq_placement_current) WHERE f.person_id = p.id AND f.ended_on IS NULL
                    ORDER BY f.org_start_date, f.id LIMIT 1)
                SET p.org_node_id = h.org_node_id, p.org_start_date = h.org_start_date, p.role_start_date = h.role_start_date
                WHERE p.id IN (""" + whom + ")", params);
        sql.update("DELETE FROM person_audience WHERE person_id IN (" + whom + ")", params);
        sql.update("""
                INSERT INTO person_audience (person_id, audience_id)
                SELECT DISTINCT pl.person_id, pa.audience_id FROM placement pl JOIN placement_audience pa ON pa.placement_id = pl.id
                WHERE pl.ended_on IS NULL AND pl.person_id IN (""" + whom + ")", params);
    }
}

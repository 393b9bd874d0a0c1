package se.kompetensmal.roster;

import se.kompetensmal.TestSql;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A municipality with one unit ({@code code-A}) of a test's own, made by an organisation import, and people files for
 * it: HSA-ids under a prefix of its own, so the test counts only its people in the database the classes share.
 */
record ImportedMunicipality(String code, long id, String hsaPrefix) {

    static ImportedMunicipality make(RosterApi api, TestSql sql, String letter, String name, String unitName) {
        long n = System.nanoTime() % 10_000_000_000L;
        String code = letter + n;
        RosterImportView created = api.organisations("kod;namn;typ;överordnad\n"
                + code + ";" + name + ";kommun;\n" + code + "-A;" + unitName + ";enhet;" + code + "\n");
        assertEquals(RosterImportStatus.SUCCEEDED, created.rosterImport().status(), created.toString());
        return new ImportedMunicipality(code, sql.number("SELECT id FROM org_node WHERE code = ?", code),
                "SE" + String.format("%010d", n) + "-");
    }

    /** A people file of as many licensed staff in the unit. */
    String peopleFile(int rows) {
        StringBuilder csv = new StringBuilder("hsa_id;förnamn;efternamn;enhet;målgrupper;startdatum_organisation\n");
        for (int i = 0; i < rows; i++) {
            csv.append(hsaPrefix).append(i).append(";Åsa;Öberg;").append(code).append("-A;LICENSED;2024-01-01\n");
        }
        return csv.toString();
    }

    long peopleInTheDatabase(TestSql sql) {
        return sql.number("SELECT COUNT(*) FROM person WHERE hsa_id LIKE ?", hsaPrefix + "%");
    }
}

-- Issue 19: the history import from the previous system. Its rows are read from the file a batch at a time into this
-- staging table, keyed by the import, so that a file of a million rows never has to be held in memory: people and
-- modules are then looked up and checked set-based, by joins (reads only: the staged rows are written once), and the
-- completions written with one INSERT ... SELECT per slice of rows. The rows of an import are deleted when it ends,
-- whichever way it ends.
-- hsa_id and module_code are compared with person and catalogue_module, so they have those tables' collation; the other
-- text columns, like the table completion (created without one), the database's own: history_id is compared with
-- completion.history_id, and a mix of collations is refused by the server.
CREATE TABLE history_import_row (
    import_id         BIGINT       NOT NULL,
    -- The row in the file, counted as a spreadsheet does (the header is row 1): what the report names.
    row_no            INT          NOT NULL,
    hsa_id            VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci NOT NULL,
    module_code       VARCHAR(80)  CHARACTER SET utf8mb4 COLLATE utf8mb4_swedish_ci NOT NULL,
    completed_on      DATE         NOT NULL,
    score             INT          NULL,
    done_where        VARCHAR(200) NULL,
    history_id        VARCHAR(100) NOT NULL,
    PRIMARY KEY (import_id, row_no),
    KEY ix_history_import_row_key (import_id, hsa_id, history_id, row_no),
    CONSTRAINT fk_history_import_row_import FOREIGN KEY (import_id) REFERENCES roster_import (id)
) ENGINE = InnoDB;

-- The recomputation of assignments a history import asked for when it had written its completions, shown with the
-- import's status.
ALTER TABLE roster_import
    ADD COLUMN recompute_job_id BIGINT NULL,
    ADD CONSTRAINT fk_roster_import_recompute_job FOREIGN KEY (recompute_job_id) REFERENCES recompute_job (id);

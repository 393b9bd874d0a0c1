-- A full import that would mark many people as left waits for the coordinator's answer (AWAITING_CONFIRMATION), and
-- one the coordinator turns down ends as CANCELLED. The column is widened to hold the longer status name.
ALTER TABLE roster_import MODIFY status VARCHAR(30) NOT NULL;
ALTER TABLE roster_import DROP CONSTRAINT ck_roster_import_status;
ALTER TABLE roster_import ADD CONSTRAINT ck_roster_import_status
    CHECK (status IN ('QUEUED', 'VALIDATING', 'WRITING', 'AWAITING_CONFIRMATION', 'SUCCEEDED', 'REJECTED', 'FAILED', 'CANCELLED'));

-- Issue 21: roster imports on several instances. An uploaded roster file sat in one instance temp folder, so only that
-- instance could import it, and a restart lost it. Files now live in the database, where every instance reaches them,
-- and an import is run by whichever instance holds the background job roster-import, from the stored file.

-- One home for a stored file (roster uploads, and the HR uploads waiting for their preview): its bytes in pieces of at
-- most 1 MB, each piece written in a transaction of its own, so that no write set (Galera replicates each commit whole)
-- grows with the file, and no packet is larger than the server accepts. purpose says who stored it, for clean-up and
-- for reading the table by hand.
CREATE TABLE stored_file (
    id         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    purpose    VARCHAR(40) NOT NULL,
    byte_count BIGINT      NOT NULL,
    -- FALSE while the pieces are being written: a file cut short by a failed upload is never read.
    complete   BOOLEAN     NOT NULL,
    created_at TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_stored_file_created (created_at)
) ENGINE = InnoDB;

CREATE TABLE stored_file_chunk (
    file_id BIGINT     NOT NULL,
    seq     INT        NOT NULL,
    data    MEDIUMBLOB NOT NULL,
    PRIMARY KEY (file_id, seq),
    CONSTRAINT fk_stored_file_chunk_file FOREIGN KEY (file_id) REFERENCES stored_file (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- The HR uploads (V31) keep their own row, with their bytes now in stored_file. Uploads waiting for a preview are moved
-- across with their ids (stored_file is new and empty, so the ids are free), so that none is lost by the upgrade.
ALTER TABLE hr_upload ADD COLUMN file_id BIGINT NULL,
    ADD CONSTRAINT fk_hr_upload_file FOREIGN KEY (file_id) REFERENCES stored_file (id);
INSERT INTO stored_file (id, purpose, byte_count, complete, created_at)
SELECT id, 'hr-upload', byte_count, TRUE, created_at FROM hr_upload;
INSERT INTO stored_file_chunk (file_id, seq, data) SELECT upload_id, seq, data FROM hr_upload_chunk;
UPDATE hr_upload SET file_id = id;
DROP TABLE hr_upload_chunk;

-- The import file_id: the stored upload, kept until the import has ended (a held full import keeps it until it is
-- confirmed or cancelled), then deleted. confirmed: a held full import that the coordinator confirmed, queued again; the
-- instance that runs it may be another than the one that held it. requested_by: who the recomputation a history import
-- asks for is recorded as asked for by. runs: how often a run of the import has begun; an import found in progress was
-- left by an instance that stopped and is run again, but not without end (a file that stops every instance that reads
-- it must not stop them all in turn).
ALTER TABLE roster_import
    ADD COLUMN file_id BIGINT NULL,
    ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN requested_by VARCHAR(100) NOT NULL DEFAULT 'import',
    ADD COLUMN runs INT NOT NULL DEFAULT 0,
    ADD CONSTRAINT fk_roster_import_file FOREIGN KEY (file_id) REFERENCES stored_file (id) ON DELETE SET NULL,
    -- The job takes the queued imports in id order; the backlog counts them.
    ADD KEY ix_roster_import_status (status, id);

-- Imports interrupted before this version had their file in an instance temp folder, which is gone: they wrote nothing
-- (their transaction never committed), and there is nothing to run them again from.
UPDATE roster_import SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP,
       message = 'Importen avbröts när tjänsten uppdaterades. Inget sparades; ladda upp filen igen.'
WHERE status IN ('QUEUED', 'VALIDATING', 'WRITING', 'AWAITING_CONFIRMATION');

-- The proof that an import write transaction is still the one it began as. A row is inserted when the transaction
-- begins and deleted, after it has been found again, just before the import records its success in the same
-- transaction: a transaction the database rolled back unseen (a Galera brute-force abort) followed by more statements
-- would otherwise carry on in a new implicit transaction and commit only the rows written after the rollback. Committed
-- transactions leave no row here.
CREATE TABLE roster_import_write (
    import_id BIGINT     NOT NULL PRIMARY KEY,
    token     CHAR(36)   NOT NULL
) ENGINE = InnoDB;

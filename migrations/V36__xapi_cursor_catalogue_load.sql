-- Issue 21, several instances: the LRS reader and the catalogue loader remember what they did, in the database that
-- every instance shares, instead of each instance doing it all again.

-- Where the LRS reader got to for each external module's activity: the `stored` time of the newest statement it has read
-- (UTC). The next reading asks the LRS only for statements stored since then (less a small overlap, as an LRS may make a
-- statement visible a little after the time it stamps on it; a statement read twice is recorded once by its id), never
-- for the whole LRS again. Keyed by a digest of the activity id: the id may be 500 characters, too long for a key.
CREATE TABLE lrs_reading_cursor (
    activity_hash CHAR(64)     NOT NULL PRIMARY KEY,
    activity_id   VARCHAR(500) NOT NULL,
    stored_until  DATETIME(6)  NOT NULL,
    read_at       DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The courses/ content last stored (one row, id 1): its digest and catalogue version. An instance that starts compares
-- its content with this row and stores only content that is new and not older; it changes the row with an optimistic
-- condition (the digest it read) in the transaction that stores the content, so that of two instances starting at once
-- one stores and the other, rolled back (a certification conflict on Galera, a changed row on one server), finds the
-- content stored and skips it.
CREATE TABLE catalogue_load (
    id                TINYINT      NOT NULL PRIMARY KEY,
    content_hash      CHAR(64)     NOT NULL,
    catalogue_version VARCHAR(40)  NOT NULL,
    loaded_at         DATETIME(6)  NOT NULL,
    loaded_by         VARCHAR(100) NOT NULL,
    CONSTRAINT ck_catalogue_load_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Every courses/ content ever stored, by digest: an older instance during a rolling deploy, whose content was stored
-- before and replaced since, finds its digest here and does not store it again over the newer content.
CREATE TABLE catalogue_content (
    content_hash      CHAR(64)     NOT NULL PRIMARY KEY,
    catalogue_version VARCHAR(40)  NOT NULL,
    first_loaded_at   DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The row exists from the start, so that the first load too changes it rather than inserting it (two first inserts at
-- once would be a duplicate key, not a conflict to retry). An empty digest and version: nothing stored yet.
INSERT INTO catalogue_load (id, content_hash, catalogue_version, loaded_at, loaded_by)
VALUES (1, '', '', UTC_TIMESTAMP(6), 'V36');

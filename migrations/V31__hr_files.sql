-- Issue 20: HR files as they come. An HR system (Heroma, Visma and others) exports its own column names in its own
-- encoding; the service maps them onto the canonical people file, shows the first rows for confirmation before an
-- import, and can pick files up from a folder on a schedule. Written only by the package se.kompetensmal.hrfiles.

-- The column mapping of an organisation: one row per header of their file and the field of ours it fills. A node without
-- rows of its own uses the nearest node above it that has some. header_key is the header as it is compared (lower
-- case, runs of white space as one space), so that "Förnamn " and "förnamn" are the same column.
CREATE TABLE hr_column_mapping (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_node_id BIGINT       NOT NULL,
    header      VARCHAR(200) NOT NULL,
    header_key  VARCHAR(200) NOT NULL,
    field       VARCHAR(40)  NOT NULL,
    changed_by  VARCHAR(100) NOT NULL,
    changed_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_hr_column_mapping_header UNIQUE (org_node_id, header_key),
    CONSTRAINT fk_hr_column_mapping_node FOREIGN KEY (org_node_id) REFERENCES org_node (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A file uploaded on the import page, kept between the upload and the coordinator confirming it on the preview page.
-- In the database, not on one instance disk, so that whichever instance answers the confirmation reaches it. Deleted
-- once the import has started or the coordinator drops it; left-overs are removed after a day.
CREATE TABLE hr_upload (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind          VARCHAR(20)  NOT NULL,
    full_import   BOOLEAN      NOT NULL,
    scope_org_id  BIGINT       NULL,
    file_name     VARCHAR(255) NOT NULL,
    byte_count    BIGINT       NOT NULL,
    -- The encoding read from the bytes at upload (UTF8, WINDOWS_1252, ISO_8859_1); the coordinator may choose another.
    detected      VARCHAR(20)  NOT NULL,
    uploaded_by   VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_hr_upload_scope FOREIGN KEY (scope_org_id) REFERENCES org_node (id),
    KEY ix_hr_upload_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The upload bytes in pieces of at most 1 MB, in order: a file of up to the import limit (200 MB) is written and read
-- a piece at a time, never whole in memory and never as one packet larger than the server accepts.
CREATE TABLE hr_upload_chunk (
    upload_id BIGINT     NOT NULL,
    seq       INT        NOT NULL,
    data      MEDIUMBLOB NOT NULL,
    PRIMARY KEY (upload_id, seq),
    CONSTRAINT fk_hr_upload_chunk_upload FOREIGN KEY (upload_id) REFERENCES hr_upload (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- An organisation folder that is read on a schedule: relative to the configured root (kompetensmal.pickup.root), one
-- organisation per folder. full_import: each file lists everyone, and whoever it does not list is marked as left.
-- encoding NULL: detected from each file.
CREATE TABLE hr_pickup (
    org_node_id BIGINT       NOT NULL PRIMARY KEY,
    folder      VARCHAR(200) NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    full_import BOOLEAN      NOT NULL,
    encoding    VARCHAR(20)  NULL,
    changed_by  VARCHAR(100) NOT NULL,
    changed_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT uq_hr_pickup_folder UNIQUE (folder),
    CONSTRAINT fk_hr_pickup_node FOREIGN KEY (org_node_id) REFERENCES org_node (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Who is reading a file in a pick-up folder now. An instance takes a file by a conditional update (claimed_by from
-- NULL, or from a claim so old that its instance must have stopped), so that two instances never read the same file;
-- the claim is let go once the file has been moved aside.
CREATE TABLE hr_pickup_claim (
    org_node_id BIGINT       NOT NULL,
    file_name   VARCHAR(255) NOT NULL,
    claimed_by  VARCHAR(100) NULL,
    claimed_at  TIMESTAMP    NULL,
    PRIMARY KEY (org_node_id, file_name),
    CONSTRAINT fk_hr_pickup_claim_node FOREIGN KEY (org_node_id) REFERENCES org_node (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every file a pick-up has read, and how it went: shown on the settings page and mailed to the coordinators.
CREATE TABLE hr_pickup_run (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_node_id   BIGINT        NOT NULL,
    file_name     VARCHAR(255)  NOT NULL,
    started_at    TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at   TIMESTAMP     NULL,
    -- SUCCEEDED, REJECTED (bad rows: nothing written), FAILED (unreadable or a technical fault: nothing written),
    -- AWAITING_CONFIRMATION (a full import that would mark many as left, waiting for a coordinator).
    outcome       VARCHAR(30)   NULL,
    import_id     BIGINT        NULL,
    created_count INT           NOT NULL DEFAULT 0,
    updated_count INT           NOT NULL DEFAULT 0,
    left_count    INT           NOT NULL DEFAULT 0,
    message       VARCHAR(2000) NULL,
    -- Where the file was moved: behandlade/... or fel/..., relative to the folder.
    moved_to      VARCHAR(300)  NULL,
    CONSTRAINT fk_hr_pickup_run_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT fk_hr_pickup_run_import FOREIGN KEY (import_id) REFERENCES roster_import (id),
    KEY ix_hr_pickup_run_node (org_node_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

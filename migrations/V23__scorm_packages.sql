-- Issue 18: SCORM 1.2 and 2004 packages as modules, played in Kompetensmål with the data model kept on the server.

-- A package module is a catalogue module like the others; its content comes from an uploaded package. A new upload with the
-- same manifest identifier (for the same owner) becomes the module's next version.
ALTER TABLE catalogue_module DROP CONSTRAINT ck_catalogue_module_source;
ALTER TABLE catalogue_module ADD CONSTRAINT ck_catalogue_module_source CHECK (source IN ('FILES', 'EDITOR', 'PACKAGE'));
ALTER TABLE catalogue_module
    ADD COLUMN package_identifier VARCHAR(255) NULL,
    ADD KEY ix_catalogue_module_package (package_identifier, owner_org_id);

-- The package behind one module version. Its files are in the package store (a folder every instance reaches) under
-- storage_key, written once and never changed, like the version itself.
CREATE TABLE package_version (
    module_version_id   BIGINT       NOT NULL PRIMARY KEY,
    scorm_version       VARCHAR(8)   NOT NULL,
    manifest_identifier VARCHAR(255) NOT NULL,
    -- sha256 of the uploaded zip, hex: the folder name in the store.
    storage_key         CHAR(64)     NOT NULL,
    file_count          INT          NOT NULL,
    total_bytes         BIGINT       NOT NULL,
    uploaded_by         BIGINT       NULL,
    uploaded_at         TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_package_version_scorm CHECK (scorm_version IN ('1.2', '2004-2', '2004-3', '2004-4')),
    CONSTRAINT fk_package_version_module FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    CONSTRAINT fk_package_version_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES user_account (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The items of the package's default organisation, in the order the manifest gives them (the flow order): clusters
-- (no launch), SCOs and assets. The table of contents and navigation read this; the runtime takes each SCO's launch
-- data and sequencing limits from here.
CREATE TABLE package_item (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_version_id    BIGINT        NOT NULL,
    position             INT           NOT NULL,
    parent_id            BIGINT        NULL,
    depth                INT           NOT NULL,
    item_identifier      VARCHAR(255)  NOT NULL,
    title                VARCHAR(500)  NOT NULL,
    kind                 VARCHAR(8)    NOT NULL,
    -- Relative to the package root, parameters included; NULL for a cluster.
    launch_href          VARCHAR(2000) NULL,
    data_from_lms        TEXT          NULL,
    -- SCORM 1.2 adlcp:masteryscore (0-100).
    mastery_score        DECIMAL(10, 7) NULL,
    -- SCORM 2004 imsss:minNormalizedMeasure of the primary objective when satisfiedByMeasure (-1..1).
    scaled_passing_score DECIMAL(10, 7) NULL,
    -- SCORM 2004 adlcp:completionThreshold (0..1).
    completion_threshold DECIMAL(10, 7) NULL,
    max_time_allowed     VARCHAR(40)   NULL,
    time_limit_action    VARCHAR(40)   NULL,
    -- JSON array of the objective ids the manifest declares for the item (SCORM 2004).
    objective_ids        TEXT          NULL,
    CONSTRAINT ck_package_item_kind CHECK (kind IN ('CLUSTER', 'SCO', 'ASSET')),
    CONSTRAINT uq_package_item_identifier UNIQUE (module_version_id, item_identifier),
    CONSTRAINT uq_package_item_position UNIQUE (module_version_id, position),
    CONSTRAINT fk_package_item_version FOREIGN KEY (module_version_id) REFERENCES package_version (module_version_id),
    CONSTRAINT fk_package_item_parent FOREIGN KEY (parent_id) REFERENCES package_item (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- One learner's attempt at one package version. open_flag is 1 while the attempt is open and NULL once it has ended, so
-- that the unique key allows one open attempt per person and module and any number of ended ones (failed attempts are
-- kept). The completion it earned is written in the same transaction as the commit that earned it; the unique key on
-- completion_id makes sure no attempt earns two.
CREATE TABLE scorm_attempt (
    id                BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id         BIGINT      NOT NULL,
    module_code       VARCHAR(80) NOT NULL,
    module_version_id BIGINT      NOT NULL,
    -- The xAPI registration of every statement of the attempt.
    registration      CHAR(36)    NOT NULL,
    status            VARCHAR(10) NOT NULL DEFAULT 'OPEN',
    open_flag         TINYINT     NULL DEFAULT 1,
    started_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    ended_at          TIMESTAMP(3) NULL,
    score             INT         NULL,
    seconds_spent     INT         NULL,
    completion_id     BIGINT      NULL,
    CONSTRAINT ck_scorm_attempt_status CHECK (status IN ('OPEN', 'COMPLETED', 'FAILED')),
    CONSTRAINT ck_scorm_attempt_open CHECK ((status = 'OPEN') = (open_flag IS NOT NULL)),
    CONSTRAINT uq_scorm_attempt_open UNIQUE (person_id, module_code, open_flag),
    CONSTRAINT uq_scorm_attempt_completion UNIQUE (completion_id),
    CONSTRAINT uq_scorm_attempt_registration UNIQUE (registration),
    CONSTRAINT fk_scorm_attempt_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_scorm_attempt_version FOREIGN KEY (module_version_id) REFERENCES package_version (module_version_id),
    CONSTRAINT fk_scorm_attempt_completion FOREIGN KEY (completion_id) REFERENCES completion (id),
    KEY ix_scorm_attempt_person (person_id, module_version_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The data model of one SCO within an attempt, as the server-side runtime keeps it (ScoRuntime.stateJson), with the
-- figures rollup and pages read taken out as columns. Every API call is applied with the row locked; session_id and
-- last_seq let a call retried after a lost connection be recognised and not applied twice.
CREATE TABLE scorm_sco_state (
    attempt_id        BIGINT        NOT NULL,
    item_id           BIGINT        NOT NULL,
    state             MEDIUMTEXT    NOT NULL,
    completion_status VARCHAR(16)   NOT NULL DEFAULT 'not attempted',
    success_status    VARCHAR(8)    NOT NULL DEFAULT 'unknown',
    score_scaled      DECIMAL(10, 7) NULL,
    total_seconds     INT           NOT NULL DEFAULT 0,
    session_id        CHAR(36)      NULL,
    last_seq          INT           NOT NULL DEFAULT 0,
    updated_at        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (attempt_id, item_id),
    CONSTRAINT fk_scorm_sco_state_attempt FOREIGN KEY (attempt_id) REFERENCES scorm_attempt (id),
    CONSTRAINT fk_scorm_sco_state_item FOREIGN KEY (item_id) REFERENCES package_item (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A runtime token lets the package's frame (served from the package origin, which no session cookie reaches) read its
-- files and call the runtime for exactly one learner's attempt at one package. Only its sha256 is kept.
CREATE TABLE scorm_runtime_token (
    token_hash CHAR(64)     NOT NULL PRIMARY KEY,
    attempt_id BIGINT       NOT NULL,
    person_id  BIGINT       NOT NULL,
    -- A review token reads and plays but records nothing (cmi.mode review).
    review     BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    expires_at TIMESTAMP(3) NOT NULL,
    CONSTRAINT fk_scorm_token_attempt FOREIGN KEY (attempt_id) REFERENCES scorm_attempt (id),
    CONSTRAINT fk_scorm_token_person FOREIGN KEY (person_id) REFERENCES person (id),
    KEY ix_scorm_token_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

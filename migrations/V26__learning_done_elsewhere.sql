-- Issue 19: learning done elsewhere counts. Classroom and live sessions with occasions, sign-up, waiting list and
-- attendance; completions registered by a coordinator with evidence, voidable but never deleted; history imported from
-- the previous system, once per external id.

-- Where a completion came from. INTERNAL: the assessment here (or a SCORM package); EXTERNAL: read from the LRS;
-- SESSION: attendance marked at an occasion; REGISTERED: recorded by a coordinator; IMPORTED: the history import.
ALTER TABLE completion
    ADD CONSTRAINT ck_completion_source CHECK (source IN ('INTERNAL', 'EXTERNAL', 'SESSION', 'REGISTERED', 'IMPORTED')),
    -- Where it was done (REGISTERED: the coordinator's free text; IMPORTED: the file's column "källa").
    ADD COLUMN done_where     VARCHAR(200) NULL AFTER external_statement_id,
    -- REGISTERED: the account that recorded it and when (created_at is when the row was written, the same moment).
    ADD COLUMN registered_by  BIGINT       NULL AFTER done_where,
    -- IMPORTED: the import that brought it, and the previous system's own id of the record. The unique key makes a
    -- second import of the same file change nothing: the same person and external id is the same record.
    ADD COLUMN import_id      BIGINT       NULL AFTER registered_by,
    ADD COLUMN history_id     VARCHAR(100) NULL AFTER import_id,
    -- A wrong REGISTERED or IMPORTED completion is voided with a reason, never deleted; a voided completion counts for
    -- nothing (see the view counted_completion at the end).
    ADD COLUMN voided_at      TIMESTAMP    NULL,
    ADD COLUMN voided_by      BIGINT       NULL,
    ADD COLUMN void_reason    VARCHAR(500) NULL,
    ADD CONSTRAINT uq_completion_history UNIQUE (person_id, history_id),
    ADD CONSTRAINT fk_completion_registered_by FOREIGN KEY (registered_by) REFERENCES user_account (id),
    ADD CONSTRAINT fk_completion_voided_by FOREIGN KEY (voided_by) REFERENCES user_account (id),
    ADD CONSTRAINT fk_completion_import FOREIGN KEY (import_id) REFERENCES roster_import (id),
    ADD CONSTRAINT ck_completion_void CHECK ((voided_at IS NULL) = (void_reason IS NULL));

-- The evidence a coordinator attaches to a registered completion: a PDF or an image, checked by its content, kept in
-- the database so that every instance serves it. Written once, never changed.
CREATE TABLE completion_evidence (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    completion_id BIGINT       NOT NULL,
    file_name     VARCHAR(255) NOT NULL,
    content_type  VARCHAR(60)  NOT NULL,
    byte_count    INT          NOT NULL,
    sha256        CHAR(64)     NOT NULL,
    content       MEDIUMBLOB   NOT NULL,
    uploaded_by   BIGINT       NOT NULL,
    uploaded_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_completion_evidence UNIQUE (completion_id),
    CONSTRAINT fk_completion_evidence_completion FOREIGN KEY (completion_id) REFERENCES completion (id),
    CONSTRAINT fk_completion_evidence_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES user_account (id),
    CONSTRAINT ck_completion_evidence_type CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'image/webp'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Session modules (lärarledd utbildning): a catalogue module without pages or assessment, taken at an occasion.
ALTER TABLE catalogue_module DROP CONSTRAINT ck_catalogue_module_source;
ALTER TABLE catalogue_module ADD CONSTRAINT ck_catalogue_module_source
    CHECK (source IN ('FILES', 'EDITOR', 'PACKAGE', 'SESSION'));

-- The trainer (utbildare) holds a role on a node like the others; as trainer they see only their own occasions.
ALTER TABLE role_grant DROP CONSTRAINT ck_role_grant_role;
ALTER TABLE role_grant ADD CONSTRAINT ck_role_grant_role
    CHECK (role IN ('COORDINATOR', 'LEADER', 'ADMINISTRATOR', 'TRAINER'));

-- One occasion of a session module, held by the node whose coordinators created it; learners on that node and below
-- can sign up. booked is the number of places taken, kept on the row so that taking a place is one conditional update
-- (booked < capacity) that can never overfill the occasion, whichever instance or thread asks.
CREATE TABLE session_occasion (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_code        VARCHAR(80)  NOT NULL,
    org_node_id        BIGINT       NOT NULL,
    starts_at          DATETIME     NOT NULL,
    duration_minutes   INT          NOT NULL,
    place              VARCHAR(200) NULL,
    video_url          VARCHAR(500) NULL,
    trainer_account_id BIGINT       NULL,
    capacity           INT          NOT NULL,
    booked             INT          NOT NULL DEFAULT 0,
    -- The last day a learner can sign up or cancel (inclusive), Swedish time.
    signup_deadline    DATE         NOT NULL,
    created_by         BIGINT       NOT NULL,
    created_at         TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    cancelled_at       TIMESTAMP    NULL,
    cancelled_by       BIGINT       NULL,
    cancel_reason      VARCHAR(500) NULL,
    -- When the reminder mail before the occasion went out (once).
    reminded_at        TIMESTAMP    NULL,
    CONSTRAINT fk_session_occasion_module FOREIGN KEY (module_code) REFERENCES catalogue_module (code),
    CONSTRAINT fk_session_occasion_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT fk_session_occasion_trainer FOREIGN KEY (trainer_account_id) REFERENCES user_account (id),
    CONSTRAINT fk_session_occasion_created_by FOREIGN KEY (created_by) REFERENCES user_account (id),
    CONSTRAINT fk_session_occasion_cancelled_by FOREIGN KEY (cancelled_by) REFERENCES user_account (id),
    CONSTRAINT ck_session_occasion_capacity CHECK (capacity BETWEEN 1 AND 1000 AND booked BETWEEN 0 AND capacity),
    CONSTRAINT ck_session_occasion_duration CHECK (duration_minutes BETWEEN 1 AND 1440),
    CONSTRAINT ck_session_occasion_where CHECK (place IS NOT NULL OR video_url IS NOT NULL),
    KEY ix_session_occasion_module (module_code, starts_at),
    KEY ix_session_occasion_node (org_node_id, starts_at),
    KEY ix_session_occasion_trainer (trainer_account_id, starts_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- One person's place on an occasion. status: BOOKED (holds a place), WAITING (on the waiting list, in order of
-- waiting_since then id), CANCELLED (by the learner, or with the occasion), ATTENDED, ABSENT (no-show). active_flag is 1
-- while BOOKED or WAITING and NULL otherwise, so that the unique key allows one live place per person and occasion and
-- any number of cancelled ones. An attended place earns exactly one completion: the unique key on completion_id.
CREATE TABLE session_signup (
    id                   BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occasion_id          BIGINT       NOT NULL,
    person_id            BIGINT       NOT NULL,
    status               VARCHAR(10)  NOT NULL,
    active_flag          TINYINT      NULL DEFAULT 1,
    signed_up_at         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    waiting_since        TIMESTAMP(3) NULL,
    moved_up_at          TIMESTAMP(3) NULL,
    cancelled_at         TIMESTAMP(3) NULL,
    attendance_marked_at TIMESTAMP(3) NULL,
    attendance_marked_by BIGINT       NULL,
    completion_id        BIGINT       NULL,
    reminded_at          TIMESTAMP    NULL,
    CONSTRAINT ck_session_signup_status CHECK (status IN ('BOOKED', 'WAITING', 'CANCELLED', 'ATTENDED', 'ABSENT')),
    CONSTRAINT ck_session_signup_active CHECK ((status IN ('BOOKED', 'WAITING')) = (active_flag IS NOT NULL)),
    CONSTRAINT uq_session_signup_active UNIQUE (occasion_id, person_id, active_flag),
    CONSTRAINT uq_session_signup_completion UNIQUE (completion_id),
    CONSTRAINT fk_session_signup_occasion FOREIGN KEY (occasion_id) REFERENCES session_occasion (id),
    CONSTRAINT fk_session_signup_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_session_signup_marked_by FOREIGN KEY (attendance_marked_by) REFERENCES user_account (id),
    CONSTRAINT fk_session_signup_completion FOREIGN KEY (completion_id) REFERENCES completion (id),
    KEY ix_session_signup_waiting (occasion_id, status, waiting_since, id),
    KEY ix_session_signup_person (person_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A completion earned at an occasion points at it, for the history and the certificate ("lärarledd, 12 jan 2027, Sal 3").
ALTER TABLE completion
    ADD COLUMN occasion_id BIGINT NULL AFTER history_id,
    ADD CONSTRAINT fk_completion_occasion FOREIGN KEY (occasion_id) REFERENCES session_occasion (id);

-- The one home of the rule "a completion that counts": every reading of completions for routines, assignments,
-- follow-up, reminders and statistics goes through this view; only the history pages read the table itself, to show
-- voided ones struck through. A simple view over one table with a WHERE is merged into the query (ALGORITHM=MERGE), so
-- the indexes of completion are used as before. Its columns are those of completion when it was created: a later
-- migration adding a column to completion must recreate the view. SQL SECURITY INVOKER: no definer account needed.
CREATE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW counted_completion AS
SELECT * FROM completion WHERE voided_at IS NULL;

-- The history import is a third kind of roster import: the same upload, progress, report of bad rows and statuses.
ALTER TABLE roster_import DROP CONSTRAINT ck_roster_import_kind;
ALTER TABLE roster_import ADD CONSTRAINT ck_roster_import_kind CHECK (kind IN ('ORGANISATIONS', 'PEOPLE', 'HISTORY'));

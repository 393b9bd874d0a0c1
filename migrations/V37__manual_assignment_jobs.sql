-- Issue 21, several instances: a coordinator's manual assignment to a group is no longer written inside the web request
-- (a whole region is one large write set, and an instance that dies mid-way lost it). The request records what was
-- asked here and returns at once; the background job `manual-assignment` (one instance at a time) writes the
-- assignments a chunk of people at a time.
--
-- The reach is stored as asked and checked: everyone active under node_id, narrowed where given to the unit (with all
-- below it) and the audience code. last_person_id is how far the job has come: it is moved in the same transaction as
-- the chunk's assignments, so an instance that dies mid-way leaves exactly the rest for the next holder, and no chunk is
-- written or counted twice. reached_people and already_assigned are the outcome the coordinator sees (how many the
-- assignment reached, and how many of them had the module already); expected_people is the preview's count at the
-- request, for progress while it runs.
CREATE TABLE manual_assignment_job (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    node_id          BIGINT       NOT NULL,
    unit_id          BIGINT       NULL,
    audience_code    VARCHAR(40)  NULL,
    module_code      VARCHAR(80)  NOT NULL,
    due_date         DATE         NOT NULL,
    requested_by     VARCHAR(100) NOT NULL,
    status           VARCHAR(20)  NOT NULL DEFAULT 'QUEUED',
    expected_people  INT          NOT NULL DEFAULT 0,
    reached_people   INT          NOT NULL DEFAULT 0,
    already_assigned INT          NOT NULL DEFAULT 0,
    last_person_id   BIGINT       NOT NULL DEFAULT 0,
    created_at       TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    started_at       TIMESTAMP    NULL,
    finished_at      TIMESTAMP    NULL,
    CONSTRAINT fk_manual_assignment_job_node FOREIGN KEY (node_id) REFERENCES org_node (id),
    CONSTRAINT fk_manual_assignment_job_unit FOREIGN KEY (unit_id) REFERENCES org_node (id),
    CONSTRAINT ck_manual_assignment_job_status CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    KEY ix_manual_assignment_job_status (status, id),
    KEY ix_manual_assignment_job_node (node_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- An exemption's "waived" statement is written by xapi after the exemption has committed (a domain event, no longer a
-- call from routines into xapi), with a statement id derived from the exemption and its grant, so that writing it again
-- stores it once. announced says it is in the outbox: an instance that dies between the commit and the statement leaves
-- it FALSE for the announcements' background job. Exemptions made before this were written with their statement in the
-- same transaction, so they count as announced; new and replaced ones start unannounced.
ALTER TABLE exemption ADD COLUMN announced BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE exemption ALTER COLUMN announced SET DEFAULT FALSE;
ALTER TABLE exemption ADD KEY ix_exemption_unannounced (announced, id);

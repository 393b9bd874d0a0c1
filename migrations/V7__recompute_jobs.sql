-- Recomputing assignments runs as a background job, a slice of people at a time, with its progress here. A job left
-- unfinished by a restart is simply run again: recomputation is idempotent.
CREATE TABLE recompute_job (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    scope_org_id BIGINT       NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    total_people INT          NOT NULL DEFAULT 0,
    done_people  INT          NOT NULL DEFAULT 0,
    requested_by VARCHAR(100) NOT NULL,
    created_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at  TIMESTAMP    NULL,
    CONSTRAINT fk_recompute_job_scope FOREIGN KEY (scope_org_id) REFERENCES org_node (id),
    CONSTRAINT ck_recompute_job_status CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    KEY ix_recompute_job_status (status)
) ENGINE = InnoDB;

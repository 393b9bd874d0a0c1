-- Learning records on their way to the Learning Record Store. A statement is written here in the same transaction as the
-- event it records, with its id fixed, and delivered later in order by a background worker; a retry resends the same id,
-- which the LRS stores once. A worker claims rows for a while, so that several instances never send a row twice at once.
CREATE TABLE xapi_outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    statement_id    CHAR(36)     NOT NULL,
    verb            VARCHAR(40)  NOT NULL,
    person_id       BIGINT       NULL,
    payload         MEDIUMTEXT   NOT NULL,
    status          VARCHAR(10)  NOT NULL DEFAULT 'PENDING',
    attempts        INT          NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    claimed_by      VARCHAR(64)  NULL,
    claimed_until   TIMESTAMP(3) NULL,
    last_error      TEXT         NULL,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    sent_at         TIMESTAMP(3) NULL,
    CONSTRAINT uq_xapi_outbox_statement UNIQUE (statement_id),
    CONSTRAINT ck_xapi_outbox_status CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    KEY ix_xapi_outbox_due (status, next_attempt_at, id),
    KEY ix_xapi_outbox_sent (status, sent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

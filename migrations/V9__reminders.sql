-- E-mail reminders. Each organisation may set its own; a node without a row follows the nearest one above it, and with
-- none anywhere the defaults apply (on, 14 days before the due date, when overdue, and a weekly digest to managers).
CREATE TABLE reminder_setting (
    org_node_id   BIGINT       NOT NULL PRIMARY KEY,
    enabled       BOOLEAN      NOT NULL,
    days_before   INT          NOT NULL,
    when_overdue  BOOLEAN      NOT NULL,
    weekly_digest BOOLEAN      NOT NULL,
    changed_by    VARCHAR(100) NOT NULL,
    changed_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_reminder_setting_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT ck_reminder_setting_days CHECK (days_before BETWEEN 0 AND 90)
) ENGINE = InnoDB;

-- One row per occasion a mail is due for: the unique occasion key is what makes each mail go out once, whatever restarts
-- or other instances do. The row is written first (PENDING), claimed (SENDING) by one sender, then marked SENT.
CREATE TABLE reminder (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occasion      VARCHAR(190) NOT NULL,
    kind          VARCHAR(20)  NOT NULL,
    person_id     BIGINT       NOT NULL,
    assignment_id BIGINT       NULL,
    org_node_id   BIGINT       NULL,
    status        VARCHAR(10)  NOT NULL DEFAULT 'PENDING',
    attempts      INT          NOT NULL DEFAULT 0,
    last_error    VARCHAR(500) NULL,
    created_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at       TIMESTAMP    NULL,
    CONSTRAINT uq_reminder_occasion UNIQUE (occasion),
    CONSTRAINT fk_reminder_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_reminder_assignment FOREIGN KEY (assignment_id) REFERENCES assignment (id),
    CONSTRAINT fk_reminder_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT ck_reminder_kind CHECK (kind IN ('DUE_SOON', 'OVERDUE', 'DIGEST')),
    CONSTRAINT ck_reminder_status CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    KEY ix_reminder_status (status, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

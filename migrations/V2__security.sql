-- Sign-in, roles granted on organisational nodes, and an audit log nobody can edit.

CREATE TABLE user_account (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username        VARCHAR(100) NOT NULL,
    display_name    VARCHAR(200) NOT NULL,
    -- Argon2id in PHC string format; NULL for accounts that sign in only through SSO.
    password_hash   VARCHAR(255) NULL,
    person_id       BIGINT       NULL,
    failed_attempts INT          NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP    NULL,
    created_at      TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_user_account_username UNIQUE (username),
    CONSTRAINT uq_user_account_person UNIQUE (person_id),
    CONSTRAINT fk_user_account_person FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A role holds for the node and its whole subtree; NULL node is the whole system (administrators only).
CREATE TABLE role_grant (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id  BIGINT      NOT NULL,
    role        VARCHAR(20) NOT NULL,
    org_node_id BIGINT      NULL,
    granted_by  VARCHAR(100) NOT NULL,
    granted_at  TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_role_grant_account FOREIGN KEY (account_id) REFERENCES user_account (id),
    CONSTRAINT fk_role_grant_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT ck_role_grant_role CHECK (role IN ('COORDINATOR', 'LEADER', 'ADMINISTRATOR')),
    CONSTRAINT ck_role_grant_system CHECK (org_node_id IS NOT NULL OR role = 'ADMINISTRATOR'),
    KEY ix_role_grant_account (account_id, role, org_node_id)
) ENGINE = InnoDB;

CREATE TABLE audit_event (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    occurred_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    actor          VARCHAR(100) NOT NULL,
    action         VARCHAR(40)  NOT NULL,
    target         VARCHAR(255) NULL,
    remote_address VARCHAR(64)  NULL,
    KEY ix_audit_event_time (occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The audit log cannot be changed';

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'The audit log cannot be changed';

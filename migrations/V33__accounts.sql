-- Issue 20: accounts administered. Administrators create local accounts for people in their subtree, switch them off
-- and on, and send a one-time link by mail with which the person chooses their own password.

-- A switched-off account cannot sign in, and its sessions end when it is switched off (security/Sessions also refuses a
-- session of a switched-off account, so that one left open elsewhere cannot go on). The account is kept, never deleted:
-- audit rows, completions and grants name it. disabled_by is the administrator, as the audit log names them.
ALTER TABLE user_account
    ADD COLUMN disabled_at         TIMESTAMP    NULL,
    ADD COLUMN disabled_by         VARCHAR(100) NULL,
    -- When the password was last set (by a link or by its owner); NULL for accounts that never had one set this way.
    ADD COLUMN password_changed_at TIMESTAMP    NULL;

-- One-time links to set a password. The random token (256 bits) travels only in the mail; the database keeps its
-- SHA-256 digest, so that someone who reads this table cannot use a link. A link is used at most once (used_at), ends
-- at expires_at (72 hours by default), and a newer link for the same account voids the older ones (voided_at).
CREATE TABLE password_link (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id  BIGINT       NOT NULL,
    -- Hex SHA-256 of the token; ascii_bin so that it compares byte for byte.
    token_hash  CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    -- The address the link was mailed to, as it was then (the roster may change it later).
    sent_to     VARCHAR(254) NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    expires_at  TIMESTAMP(3) NOT NULL,
    used_at     TIMESTAMP(3) NULL,
    voided_at   TIMESTAMP(3) NULL,
    CONSTRAINT uq_password_link_token UNIQUE (token_hash),
    CONSTRAINT fk_password_link_account FOREIGN KEY (account_id) REFERENCES user_account (id),
    -- A new link voids the open ones of its account by this key.
    KEY ix_password_link_account (account_id, used_at, voided_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

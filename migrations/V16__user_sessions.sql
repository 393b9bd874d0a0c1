-- Sign-in sessions. The token a browser (session cookie) or API client (bearer token) holds names one row here by a
-- random id, and every request is checked against it: signing out ends the row, so the token stops working at once on
-- every instance, as does a session left idle longer than allowed (kompetensmal.session.idle-timeout). The token's own
-- expiry still bounds the session's whole length.
CREATE TABLE user_session (
    -- 256 random bits, base64url; the token is signed, so the id cannot be swapped for another.
    id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    account_id   BIGINT       NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    -- Brought up to date at most about once a minute, to spare a write on every request.
    last_seen_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    ended_at     TIMESTAMP(3) NULL,
    CONSTRAINT fk_user_session_account FOREIGN KEY (account_id) REFERENCES user_account (id),
    -- Sign-in clears the account's own ended and expired rows by this key.
    KEY ix_user_session_account (account_id, created_at)
) ENGINE = InnoDB;

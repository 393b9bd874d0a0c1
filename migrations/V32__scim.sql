-- Issue 20: SCIM 2.0 provisioning (RFC 7643/7644) at /scim/v2. A directory (Microsoft Entra ID and the like) creates,
-- changes and deactivates people through it, with a bearer token of the organisation it provisions.

-- A bearer token of one organisation: it reaches that node and its subtree, nothing else. Only a SHA-256 digest of the
-- token is kept (the token is 256 random bits, shown once when it is made), so a copy of the database opens nothing.
-- A revoked token stays listed (who revoked it and when) and is refused from then on.
CREATE TABLE scim_token (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_node_id  BIGINT       NOT NULL,
    name         VARCHAR(100) NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    created_by   VARCHAR(100) NOT NULL,
    created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    last_used_at TIMESTAMP(3) NULL,
    revoked_at   TIMESTAMP(3) NULL,
    revoked_by   VARCHAR(100) NULL,
    -- Every placement has at least one audience. A user the directory puts in no group (no group provisioning) is given
    -- this one; without it such a user waits, without a person, until a group membership names an audience.
    default_audience_id BIGINT NULL,
    CONSTRAINT uq_scim_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_scim_token_audience FOREIGN KEY (default_audience_id) REFERENCES audience (id),
    CONSTRAINT fk_scim_token_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    KEY ix_scim_token_node (org_node_id, revoked_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A SCIM User resource: the view the directory has of one person, within the organisation whose token made it. It keeps what
-- the directory sent (userName, externalId, names, e-mail, employee number, department and organisation as written)
-- and the unit that department named; the person itself is written only through roster/PersonRecords, from these
-- values. A user deleted over SCIM keeps its row (deleted_at) so that the history stays readable, but is gone for SCIM
-- (404) and its userName may be used again: live_user_name is NULL once deleted, and NULLs do not collide.
-- version counts the changes, for ETags (meta.version) and If-Match.
CREATE TABLE scim_user (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    -- The resource id SCIM clients see: random, so that ids cannot be guessed or counted.
    resource_id     CHAR(36)     NOT NULL,
    org_node_id     BIGINT       NOT NULL,
    -- NULL while the user waits for an audience (see scim_token.default_audience_id): no person is made without one.
    person_id       BIGINT       NULL,
    -- The sign-in name in the directory (a UPN); unique within the organisation, compared without regard to case.
    user_name       VARCHAR(255) NOT NULL,
    external_id     VARCHAR(255) NULL,
    display_name    VARCHAR(255) NULL,
    given_name      VARCHAR(100) NOT NULL,
    family_name     VARCHAR(100) NOT NULL,
    email           VARCHAR(254) NULL,
    employee_number VARCHAR(40)  NULL,
    department      VARCHAR(200) NULL,
    organization    VARCHAR(200) NULL,
    -- The unit department (within organization) named; the person has a SCIM placement there while active.
    unit_id         BIGINT       NOT NULL,
    active          BOOLEAN      NOT NULL DEFAULT TRUE,
    version         BIGINT       NOT NULL DEFAULT 1,
    created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    deleted_at      TIMESTAMP(3) NULL,
    -- Lower-cased and compared byte for byte: the table collation (Swedish) takes v and w, or y and ü, for the same
    -- letter, which would make two different sign-in names collide.
    live_user_name  VARCHAR(255) COLLATE utf8mb4_bin AS (CASE WHEN deleted_at IS NULL THEN LOWER(user_name) END) PERSISTENT,
    live_person_id  BIGINT       AS (CASE WHEN deleted_at IS NULL THEN person_id END) PERSISTENT,
    CONSTRAINT uq_scim_user_resource UNIQUE (resource_id),
    CONSTRAINT uq_scim_user_name UNIQUE (org_node_id, live_user_name),
    -- One live SCIM user per person and organisation: two directory accounts may not both claim one person.
    CONSTRAINT uq_scim_user_person UNIQUE (org_node_id, live_person_id),
    CONSTRAINT fk_scim_user_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT fk_scim_user_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_scim_user_unit FOREIGN KEY (unit_id) REFERENCES org_node (id),
    KEY ix_scim_user_external (org_node_id, external_id),
    KEY ix_scim_user_email (org_node_id, email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Membership of a SCIM Group, which is an audience (målgrupp): the SCIM placement of the user has the audiences of the groups
-- the user is a member of.
CREATE TABLE scim_group_member (
    scim_user_id BIGINT NOT NULL,
    audience_id  BIGINT NOT NULL,
    PRIMARY KEY (scim_user_id, audience_id),
    KEY ix_scim_group_member_audience (audience_id, scim_user_id),
    CONSTRAINT fk_scim_group_member_user FOREIGN KEY (scim_user_id) REFERENCES scim_user (id),
    CONSTRAINT fk_scim_group_member_audience FOREIGN KEY (audience_id) REFERENCES audience (id)
) ENGINE = InnoDB;

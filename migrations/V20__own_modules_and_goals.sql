-- Issue 17: organisations write their own modules and competence goals in the browser.

-- One row per module code: where its content comes from and who owns it. The courses/ loader owns the shipped modules
-- (FILES, no owner: for everyone). An organisation's own module (EDITOR) belongs to the subtree of its owner node: usable
-- in routines and assignments there, invisible to other organisations; one an administrator published for everyone has
-- no owner. A code, once taken, is never given to another module, so an organisation cannot shadow a shipped one.
CREATE TABLE catalogue_module (
    code             VARCHAR(80)  NOT NULL PRIMARY KEY,
    source           VARCHAR(10)  NOT NULL,
    owner_org_id     BIGINT       NULL,
    created_at       TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- user_account.id of whoever created it; NULL for the courses/ loader.
    created_by       BIGINT       NULL,
    -- A withdrawn module gets no new assignments; everything recorded against it is kept.
    withdrawn_at     TIMESTAMP    NULL,
    withdrawn_by     BIGINT       NULL,
    withdrawn_reason VARCHAR(500) NULL,
    CONSTRAINT ck_catalogue_module_source CHECK (source IN ('FILES', 'EDITOR')),
    CONSTRAINT fk_catalogue_module_owner FOREIGN KEY (owner_org_id) REFERENCES org_node (id),
    CONSTRAINT fk_catalogue_module_created_by FOREIGN KEY (created_by) REFERENCES user_account (id),
    CONSTRAINT fk_catalogue_module_withdrawn_by FOREIGN KEY (withdrawn_by) REFERENCES user_account (id),
    KEY ix_catalogue_module_owner (owner_org_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

INSERT INTO catalogue_module (code, source) SELECT DISTINCT module_code, 'FILES' FROM module_version;

-- Every version belongs to a known module; published_by is the account that published it (NULL: the courses/ loader).
ALTER TABLE module_version
    ADD COLUMN published_by BIGINT NULL,
    ADD CONSTRAINT fk_module_version_module FOREIGN KEY (module_code) REFERENCES catalogue_module (code),
    ADD CONSTRAINT fk_module_version_published_by FOREIGN KEY (published_by) REFERENCES user_account (id);

-- The editor's work in progress, one per module: the whole draft as JSON, kept exactly as typed (also while not yet
-- valid), so that nothing is lost when a session ends. Learners never see it; publishing turns it into a version.
CREATE TABLE module_draft (
    module_code VARCHAR(80)  NOT NULL PRIMARY KEY,
    content     MEDIUMTEXT   NOT NULL,
    -- Raised by every save, so that a save made on an older revision (another tab, another editor) is noticed.
    revision    INT          NOT NULL DEFAULT 1,
    updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_by  BIGINT       NULL,
    CONSTRAINT fk_module_draft_module FOREIGN KEY (module_code) REFERENCES catalogue_module (code),
    CONSTRAINT fk_module_draft_updated_by FOREIGN KEY (updated_by) REFERENCES user_account (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Images of a module, in the database so that every instance serves the same bytes. A row is never changed: a draft
-- names its images in its JSON, and a version links the file names its pages use to exact rows (module_version_image).
-- The type is what the bytes are (PNG, JPEG, WebP), whatever the uploaded name said.
CREATE TABLE module_image (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_code  VARCHAR(80)  NOT NULL,
    file_name    VARCHAR(100) NOT NULL,
    content_type VARCHAR(20)  NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    bytes        MEDIUMBLOB   NOT NULL,
    created_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_by   BIGINT       NULL,
    CONSTRAINT ck_module_image_type CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    CONSTRAINT fk_module_image_module FOREIGN KEY (module_code) REFERENCES catalogue_module (code),
    CONSTRAINT fk_module_image_created_by FOREIGN KEY (created_by) REFERENCES user_account (id),
    KEY ix_module_image_module (module_code, sha256)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE module_version_image (
    module_version_id BIGINT       NOT NULL,
    file_name         VARCHAR(100) NOT NULL,
    image_id          BIGINT       NOT NULL,
    PRIMARY KEY (module_version_id, file_name),
    CONSTRAINT fk_version_image_version FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    CONSTRAINT fk_version_image_image FOREIGN KEY (image_id) REFERENCES module_image (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- An organisation's own competence goals, as its own audiences: NULL for the national catalogue, which courses/ owns;
-- otherwise the node whose subtree sees and uses the goal beside the national ones.
ALTER TABLE competence_goal
    ADD COLUMN owner_org_id BIGINT    NULL,
    ADD COLUMN created_by   BIGINT    NULL,
    ADD COLUMN updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    ADD CONSTRAINT fk_competence_goal_owner FOREIGN KEY (owner_org_id) REFERENCES org_node (id),
    ADD CONSTRAINT fk_competence_goal_created_by FOREIGN KEY (created_by) REFERENCES user_account (id),
    ADD KEY ix_competence_goal_owner (owner_org_id);

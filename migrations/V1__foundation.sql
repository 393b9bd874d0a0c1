-- Kompetensmål foundation: organisation tree, audiences, people, the competence-goal catalogue, modules and roster imports.

CREATE TABLE org_node (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code        VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    kind        VARCHAR(20)  NOT NULL,
    parent_id   BIGINT       NULL,
    created_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT uq_org_node_code UNIQUE (code),
    CONSTRAINT fk_org_node_parent FOREIGN KEY (parent_id) REFERENCES org_node (id),
    CONSTRAINT ck_org_node_kind CHECK (kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER',
                                                'ADMINISTRATION', 'OPERATION', 'UNIT'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Closure table: one row per (ancestor, descendant) pair, including each node with itself at depth 0,
-- so that "everything under node X" is one indexed range scan on the primary key.
CREATE TABLE org_closure (
    ancestor_id   BIGINT NOT NULL,
    descendant_id BIGINT NOT NULL,
    depth         INT    NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id),
    KEY ix_org_closure_descendant (descendant_id, ancestor_id, depth),
    CONSTRAINT fk_org_closure_ancestor FOREIGN KEY (ancestor_id) REFERENCES org_node (id),
    CONSTRAINT fk_org_closure_descendant FOREIGN KEY (descendant_id) REFERENCES org_node (id)
) ENGINE = InnoDB;

CREATE TABLE audience (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code         VARCHAR(40)  NOT NULL,
    name_sv      VARCHAR(200) NOT NULL,
    name_en      VARCHAR(200) NULL,
    -- NULL for the national audiences; otherwise the organisation that added it.
    owner_org_id BIGINT       NULL,
    sort_order   INT          NOT NULL DEFAULT 100,
    CONSTRAINT uq_audience_code UNIQUE (code),
    CONSTRAINT fk_audience_owner FOREIGN KEY (owner_org_id) REFERENCES org_node (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

INSERT INTO audience (code, name_sv, name_en, sort_order) VALUES
    ('LICENSED', 'Legitimerad hälso- och sjukvårdspersonal', 'Licensed health-care staff', 1),
    ('NON_LICENSED', 'Icke legitimerad vårdnära hälso- och sjukvårdspersonal', 'Non-licensed care staff', 2),
    ('FRONTLINE_MANAGER', 'Verksamhetsnära chefer', 'Frontline managers', 3),
    ('STRATEGIC_LEADER', 'Chefer på strategisk nivå, beslutsfattare', 'Strategic-level leaders and senior officials', 4),
    ('POLITICIAN', 'Politiker, förtroendevalda', 'Politicians', 5),
    ('PATIENT_SAFETY_FUNCTION', 'Patientsäkerhetsfunktioner', 'Patient-safety functions', 6),
    ('LOCAL_SUPPORT', 'Lokala stödfunktioner', 'Local support functions', 7),
    ('CENTRAL_SUPPORT', 'Centrala stödfunktioner', 'Central support functions', 8);

CREATE TABLE person (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    hsa_id          VARCHAR(64)  NOT NULL,
    given_name      VARCHAR(100) NOT NULL,
    family_name     VARCHAR(100) NOT NULL,
    email           VARCHAR(254) NULL,
    org_node_id     BIGINT       NOT NULL,
    org_start_date  DATE         NOT NULL,
    role_start_date DATE         NOT NULL,
    status          VARCHAR(10)  NOT NULL DEFAULT 'ACTIVE',
    left_on         DATE         NULL,
    -- The roster import that last listed the person; a full import marks those it did not list as left.
    last_import_id  BIGINT       NULL,
    created_at      TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT uq_person_hsa_id UNIQUE (hsa_id),
    CONSTRAINT fk_person_org_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT ck_person_status CHECK (status IN ('ACTIVE', 'LEFT')),
    KEY ix_person_org_node_status (org_node_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE person_audience (
    person_id   BIGINT NOT NULL,
    audience_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, audience_id),
    KEY ix_person_audience_audience (audience_id, person_id),
    CONSTRAINT fk_person_audience_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_person_audience_audience FOREIGN KEY (audience_id) REFERENCES audience (id)
) ENGINE = InnoDB;

CREATE TABLE competence_goal (
    id                BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code              VARCHAR(40) NOT NULL,
    catalogue_version VARCHAR(40) NOT NULL,
    area              VARCHAR(40) NOT NULL,
    kind              VARCHAR(20) NOT NULL,
    text_sv           TEXT        NOT NULL,
    text_en           TEXT        NULL,
    CONSTRAINT uq_competence_goal_code UNIQUE (code),
    CONSTRAINT ck_competence_goal_kind CHECK (kind IN ('KNOWLEDGE', 'SKILL', 'ATTITUDE'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE competence_goal_audience (
    goal_id     BIGINT NOT NULL,
    audience_id BIGINT NOT NULL,
    PRIMARY KEY (goal_id, audience_id),
    KEY ix_goal_audience_audience (audience_id, goal_id),
    CONSTRAINT fk_goal_audience_goal FOREIGN KEY (goal_id) REFERENCES competence_goal (id),
    CONSTRAINT fk_goal_audience_audience FOREIGN KEY (audience_id) REFERENCES audience (id)
) ENGINE = InnoDB;

-- One row per version of a module. A version is never changed once written: whatever is recorded against it
-- (attempts, completions) keeps pointing at exactly the content the learner saw.
CREATE TABLE module_version (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_code       VARCHAR(80)  NOT NULL,
    version           INT          NOT NULL,
    title             VARCHAR(200) NOT NULL,
    summary           TEXT         NOT NULL,
    estimated_minutes INT          NOT NULL,
    pass_mark         INT          NOT NULL,
    content_hash      CHAR(64)     NOT NULL,
    created_at        TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_module_version UNIQUE (module_code, version),
    CONSTRAINT ck_module_version_pass_mark CHECK (pass_mark BETWEEN 0 AND 100)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE module_version_audience (
    module_version_id BIGINT NOT NULL,
    audience_id       BIGINT NOT NULL,
    PRIMARY KEY (module_version_id, audience_id),
    CONSTRAINT fk_module_audience_module FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    CONSTRAINT fk_module_audience_audience FOREIGN KEY (audience_id) REFERENCES audience (id)
) ENGINE = InnoDB;

CREATE TABLE module_version_goal (
    module_version_id BIGINT NOT NULL,
    goal_id           BIGINT NOT NULL,
    PRIMARY KEY (module_version_id, goal_id),
    KEY ix_module_goal_goal (goal_id, module_version_id),
    CONSTRAINT fk_module_goal_module FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    CONSTRAINT fk_module_goal_goal FOREIGN KEY (goal_id) REFERENCES competence_goal (id)
) ENGINE = InnoDB;

CREATE TABLE module_page (
    id                BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_version_id BIGINT       NOT NULL,
    position          INT          NOT NULL,
    title             VARCHAR(200) NOT NULL,
    body_markdown     MEDIUMTEXT   NOT NULL,
    CONSTRAINT uq_module_page UNIQUE (module_version_id, position),
    CONSTRAINT fk_module_page_module FOREIGN KEY (module_version_id) REFERENCES module_version (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE assessment_question (
    id                BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    module_version_id BIGINT      NOT NULL,
    position          INT         NOT NULL,
    question_code     VARCHAR(40) NOT NULL,
    text              TEXT        NOT NULL,
    CONSTRAINT uq_assessment_question UNIQUE (module_version_id, question_code),
    CONSTRAINT fk_question_module FOREIGN KEY (module_version_id) REFERENCES module_version (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE question_option (
    id          BIGINT  NOT NULL AUTO_INCREMENT PRIMARY KEY,
    question_id BIGINT  NOT NULL,
    position    INT     NOT NULL,
    text        TEXT    NOT NULL,
    correct     BOOLEAN NOT NULL,
    feedback    TEXT    NOT NULL,
    CONSTRAINT uq_question_option UNIQUE (question_id, position),
    CONSTRAINT fk_option_question FOREIGN KEY (question_id) REFERENCES assessment_question (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A roster import is validated whole before anything is written; its progress and its report live here.
CREATE TABLE roster_import (
    id             BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind           VARCHAR(20)  NOT NULL,
    full_import    BOOLEAN      NOT NULL DEFAULT FALSE,
    scope_org_id   BIGINT       NULL,
    file_name      VARCHAR(255) NOT NULL,
    status         VARCHAR(20)  NOT NULL,
    total_rows     INT          NOT NULL DEFAULT 0,
    processed_rows INT          NOT NULL DEFAULT 0,
    created_count  INT          NOT NULL DEFAULT 0,
    updated_count  INT          NOT NULL DEFAULT 0,
    left_count     INT          NOT NULL DEFAULT 0,
    message        TEXT         NULL,
    created_at     TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at    TIMESTAMP    NULL,
    CONSTRAINT fk_roster_import_scope FOREIGN KEY (scope_org_id) REFERENCES org_node (id),
    CONSTRAINT ck_roster_import_kind CHECK (kind IN ('ORGANISATIONS', 'PEOPLE')),
    CONSTRAINT ck_roster_import_status CHECK (status IN ('QUEUED', 'VALIDATING', 'WRITING', 'SUCCEEDED', 'REJECTED', 'FAILED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE roster_import_error (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    import_id   BIGINT       NOT NULL,
    row_no      INT          NOT NULL,
    column_name VARCHAR(60)  NULL,
    reason      VARCHAR(500) NOT NULL,
    KEY ix_roster_import_error_import (import_id, row_no),
    CONSTRAINT fk_roster_import_error_import FOREIGN KEY (import_id) REFERENCES roster_import (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

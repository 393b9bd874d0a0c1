-- A person exempted from a module (completed elsewhere, say), with the reason and evidence, and who decided.
CREATE TABLE exemption (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id   BIGINT       NOT NULL,
    module_code VARCHAR(80)  NOT NULL,
    reason      VARCHAR(500) NOT NULL,
    evidence    VARCHAR(500) NULL,
    granted_by  VARCHAR(100) NOT NULL,
    granted_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_exemption UNIQUE (person_id, module_code),
    CONSTRAINT fk_exemption_person FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- A completed module, for the exact version taken. Never updated: a new cycle is a new row.
CREATE TABLE completion (
    id                BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id         BIGINT      NOT NULL,
    module_version_id BIGINT      NOT NULL,
    completed_on      DATE        NOT NULL,
    score             INT         NULL,
    source            VARCHAR(20) NOT NULL DEFAULT 'INTERNAL',
    created_at        TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_completion_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_completion_module FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    KEY ix_completion_person (person_id, module_version_id, completed_on)
) ENGINE = InnoDB;

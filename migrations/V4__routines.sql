-- Introduction and continuing-education routines: per organisational node, kind and audience; inherited by the subtree,
-- overridden by a routine for the same kind and audience further down. Every change is kept as a version.

CREATE TABLE routine (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_node_id         BIGINT       NOT NULL,
    kind                VARCHAR(20)  NOT NULL,
    audience_id         BIGINT       NOT NULL,
    name                VARCHAR(200) NOT NULL,
    -- Introduction: due this many days after the start date it counts from.
    due_days            INT          NULL,
    counts_from         VARCHAR(20)  NULL,
    -- Continuing education: a completion is valid this many months, and may be renewed this many days before it expires.
    interval_months     INT          NULL,
    renewal_window_days INT          NULL,
    -- Socialstyrelsen's survey levels: the routine exists, is documented, is part of the management system.
    documentation       VARCHAR(30)  NOT NULL DEFAULT 'EXISTS',
    governing_document  VARCHAR(300) NULL,
    approved_by         VARCHAR(200) NULL,
    approved_on         DATE         NULL,
    version             INT          NOT NULL DEFAULT 1,
    CONSTRAINT uq_routine_place UNIQUE (org_node_id, kind, audience_id),
    CONSTRAINT fk_routine_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT fk_routine_audience FOREIGN KEY (audience_id) REFERENCES audience (id),
    CONSTRAINT ck_routine_kind CHECK (kind IN ('INTRODUCTION', 'CONTINUING')),
    CONSTRAINT ck_routine_counts_from CHECK (counts_from IS NULL OR counts_from IN ('ORG_START', 'ROLE_START')),
    CONSTRAINT ck_routine_documentation CHECK (documentation IN ('EXISTS', 'DOCUMENTED', 'MANAGEMENT_SYSTEM')),
    CONSTRAINT ck_routine_shape CHECK (
        (kind = 'INTRODUCTION' AND due_days IS NOT NULL AND due_days >= 0 AND counts_from IS NOT NULL)
        OR (kind = 'CONTINUING' AND interval_months IS NOT NULL AND interval_months > 0
            AND renewal_window_days IS NOT NULL AND renewal_window_days >= 0))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE routine_module (
    routine_id  BIGINT      NOT NULL,
    module_code VARCHAR(80) NOT NULL,
    PRIMARY KEY (routine_id, module_code),
    CONSTRAINT fk_routine_module_routine FOREIGN KEY (routine_id) REFERENCES routine (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The routine as it was after each change, who made it and when.
CREATE TABLE routine_version (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    routine_id BIGINT       NOT NULL,
    version    INT          NOT NULL,
    changed_by VARCHAR(100) NOT NULL,
    changed_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    snapshot   TEXT         NOT NULL,
    CONSTRAINT uq_routine_version UNIQUE (routine_id, version),
    CONSTRAINT fk_routine_version_routine FOREIGN KEY (routine_id) REFERENCES routine (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- Issue 20: people as Swedish health care has them. Staff without HSA-id (politicians, many municipal staff) are
-- identified within their huvudman by an employee number or, failing that, by e-mail; a person can be placed in several
-- units at once; unit codes are unique within a huvudman, not across the instance.

-- The huvudman a node belongs to: the nearest node at or above it whose kind is a huvudman (region, municipality, city
-- district, private provider); NULL for the national level. code_scope_id is the huvudman its code is unique within:
-- for a huvudman itself the huvudman above it (a city district under its municipality), 0 for the instance (so two
-- regions cannot share a code, while two municipalities' units can). Both are written with the node and on every move
-- by the organisation's one writer (roster/OrganisationRosterImporter).
ALTER TABLE org_node
    ADD COLUMN huvudman_id   BIGINT      NULL AFTER parent_id,
    ADD COLUMN code_scope_id BIGINT      NOT NULL DEFAULT 0 AFTER huvudman_id,
    -- The unit's own HSA-id where it has one (a care unit in the HSA directory); unique across the instance.
    ADD COLUMN hsa_id        VARCHAR(64) NULL AFTER code,
    ADD CONSTRAINT uq_org_node_hsa_id UNIQUE (hsa_id),
    ADD CONSTRAINT fk_org_node_huvudman FOREIGN KEY (huvudman_id) REFERENCES org_node (id);

UPDATE org_node n
SET n.huvudman_id = (SELECT c.ancestor_id FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id
                     WHERE c.descendant_id = n.id AND a.kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                     ORDER BY c.depth LIMIT 1);

UPDATE org_node n
SET n.code_scope_id = COALESCE((SELECT c.ancestor_id FROM org_closure c JOIN org_node a ON a.id = c.ancestor_id
                                WHERE c.descendant_id = n.id AND c.depth > 0
                                  AND a.kind IN ('REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER')
                                ORDER BY c.depth LIMIT 1), 0)
WHERE n.kind IN ('NATIONAL', 'REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER');

UPDATE org_node n SET n.code_scope_id = COALESCE(n.huvudman_id, 0)
WHERE n.kind NOT IN ('NATIONAL', 'REGION', 'MUNICIPALITY', 'CITY_DISTRICT', 'PRIVATE_PROVIDER');

ALTER TABLE org_node
    DROP CONSTRAINT uq_org_node_code,
    ADD CONSTRAINT uq_org_node_code UNIQUE (code_scope_id, code),
    ADD KEY ix_org_node_code (code);

-- A person's identity within their huvudman. HSA-id stays unique across the instance where present (and is what single
-- sign-on matches first); the employee number (anställningsnummer) is unique within the huvudman; a person with neither
-- is known by e-mail, unique within the huvudman among such people (email_key is NULL for everyone else, and NULLs do
-- not collide in a unique key). No personal identity number (personnummer) is stored, anywhere.
ALTER TABLE person
    MODIFY hsa_id VARCHAR(64) NULL,
    ADD COLUMN huvudman_id     BIGINT      NULL AFTER hsa_id,
    ADD COLUMN employee_number VARCHAR(40) NULL AFTER huvudman_id,
    ADD COLUMN email_key       VARCHAR(254)
        AS (CASE WHEN hsa_id IS NULL AND employee_number IS NULL THEN LOWER(email) END) PERSISTENT,
    ADD CONSTRAINT uq_person_employee_number UNIQUE (huvudman_id, employee_number),
    ADD CONSTRAINT uq_person_email_key UNIQUE (huvudman_id, email_key),
    ADD CONSTRAINT fk_person_huvudman FOREIGN KEY (huvudman_id) REFERENCES org_node (id),
    ADD CONSTRAINT ck_person_identified CHECK (hsa_id IS NOT NULL OR employee_number IS NOT NULL OR email IS NOT NULL),
    ADD KEY ix_person_email (email);

UPDATE person p JOIN org_node n ON n.id = p.org_node_id SET p.huvudman_id = n.huvudman_id;

-- Where a person works: one row per unit they are placed in, each with its own start dates and audiences. Every person
-- has at least one. person.org_node_id, org_start_date and role_start_date stay as the person's home placement (the
-- earliest current one), and person_audience as the union of the current placements' audiences, both kept by the one
-- writer of people (roster/PersonRecords), so that what concerns the person as a whole reads one row. What depends on
-- where someone works (routines, the follow-up, reminders to managers, statistics per unit) reads the current
-- placements: those not ended. Ending a placement keeps the row (ended_on), never deletes.
CREATE TABLE placement (
    id              BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id       BIGINT      NOT NULL,
    org_node_id     BIGINT      NOT NULL,
    org_start_date  DATE        NOT NULL,
    role_start_date DATE        NOT NULL,
    ended_on        DATE        NULL,
    ended_by        VARCHAR(100) NULL,
    -- Where the placement came from: an HR file, SCIM, or by hand; an HR file ends only placements it brought.
    source          VARCHAR(10) NOT NULL DEFAULT 'IMPORT',
    last_import_id  BIGINT      NULL,
    created_at      TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    -- At most one current placement per person and unit; ended ones may repeat.
    current_node_id BIGINT AS (CASE WHEN ended_on IS NULL THEN org_node_id END) PERSISTENT,
    CONSTRAINT uq_placement_current UNIQUE (person_id, current_node_id),
    CONSTRAINT fk_placement_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_placement_node FOREIGN KEY (org_node_id) REFERENCES org_node (id),
    CONSTRAINT ck_placement_source CHECK (source IN ('IMPORT', 'SCIM', 'MANUAL')),
    KEY ix_placement_node (org_node_id, ended_on, person_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

CREATE TABLE placement_audience (
    placement_id BIGINT NOT NULL,
    audience_id  BIGINT NOT NULL,
    PRIMARY KEY (placement_id, audience_id),
    KEY ix_placement_audience_audience (audience_id, placement_id),
    CONSTRAINT fk_placement_audience_placement FOREIGN KEY (placement_id) REFERENCES placement (id),
    CONSTRAINT fk_placement_audience_audience FOREIGN KEY (audience_id) REFERENCES audience (id)
) ENGINE = InnoDB;

-- Everyone so far has exactly one placement: their unit, dates and audiences.
INSERT INTO placement (person_id, org_node_id, org_start_date, role_start_date, last_import_id)
SELECT id, org_node_id, org_start_date, role_start_date, last_import_id FROM person;

INSERT INTO placement_audience (placement_id, audience_id)
SELECT pl.id, pa.audience_id FROM placement pl JOIN person_audience pa ON pa.person_id = pl.person_id;

-- The one home of "where a person works now": current placements with their person, for joins that also need the
-- person's status. A MERGE view, so that the placement's indexes are used.
CREATE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW current_placement AS
SELECT pl.id, pl.person_id, pl.org_node_id, pl.org_start_date, pl.role_start_date, pl.source
FROM placement pl
WHERE pl.ended_on IS NULL;

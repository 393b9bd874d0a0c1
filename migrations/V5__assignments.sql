-- What each person must complete and by when. Routine-derived rows are kept up to date by recomputation; a row that no
-- longer follows from any routine is withdrawn (kept, with the time), never deleted, so history is not lost.
CREATE TABLE assignment (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id    BIGINT       NOT NULL,
    module_code  VARCHAR(80)  NOT NULL,
    cycle        INT          NOT NULL DEFAULT 1,
    routine_id   BIGINT       NULL,
    source       VARCHAR(10)  NOT NULL,
    due_date     DATE         NOT NULL,
    assigned_by  VARCHAR(100) NULL,
    created_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    withdrawn_at TIMESTAMP    NULL,
    CONSTRAINT uq_assignment UNIQUE (person_id, module_code, cycle),
    CONSTRAINT fk_assignment_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_assignment_routine FOREIGN KEY (routine_id) REFERENCES routine (id),
    CONSTRAINT ck_assignment_source CHECK (source IN ('ROUTINE', 'MANUAL')),
    KEY ix_assignment_due (due_date, withdrawn_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

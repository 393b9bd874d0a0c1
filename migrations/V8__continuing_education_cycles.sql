-- Continuing education: a routine applies from a date (its first cycle is due one interval after the later of that date and
-- the person's start), and every cycle of a module is its own assignment row: the completion that fulfilled it, until when
-- that completion is valid, and from when the cycle may be renewed early. Completions are never overwritten.
ALTER TABLE routine ADD COLUMN starts_on DATE NULL AFTER renewal_window_days;
UPDATE routine SET starts_on = CURRENT_DATE WHERE kind = 'CONTINUING';
ALTER TABLE routine ADD CONSTRAINT ck_routine_starts_on CHECK (kind = 'INTRODUCTION' OR starts_on IS NOT NULL);

ALTER TABLE assignment
    ADD COLUMN opens_on      DATE   NULL AFTER due_date,
    ADD COLUMN completion_id BIGINT NULL AFTER opens_on,
    ADD COLUMN valid_until   DATE   NULL AFTER completion_id,
    ADD CONSTRAINT uq_assignment_completion UNIQUE (completion_id),
    ADD CONSTRAINT fk_assignment_completion FOREIGN KEY (completion_id) REFERENCES completion (id);

-- An introduction routine applies from a date. Until now it applied to everyone ever employed: a nurse hired in 2004 got
-- her "introduction" due in 2004 and was shown overdue for twenty years the day the routine was saved, and a region read
-- 141 of 148 follow-ups overdue. Now people who start (in the organisation or the role, as counts_from says) on or after
-- applies_from are due start + due_days, as before; people already employed are left out, or, when the coordinator sets
-- one, all due on the catch-up date.
ALTER TABLE routine
    -- Introduction: starts on or after this date count from the start; earlier starts are existing staff.
    ADD COLUMN applies_from DATE         NULL AFTER counts_from,
    -- Introduction: the one due date for existing staff; NULL leaves them out.
    ADD COLUMN catch_up_due DATE         NULL AFTER applies_from,
    -- A retired routine asks for nothing: its open assignments are withdrawn by the recomputation, completed ones stay
    -- as history, and its versions are kept. It no longer blocks a new routine for the same place.
    ADD COLUMN retired_at   TIMESTAMP    NULL,
    ADD COLUMN retired_by   VARCHAR(100) NULL,
    -- 1 while in force, NULL once retired: the unique key below then holds only among routines in force.
    ADD COLUMN in_force     TINYINT AS (IF(retired_at IS NULL, 1, NULL)) PERSISTENT;

-- The routines there already applied from when they were first saved: from then on their rule is the one the coordinator
-- meant. Everyone employed before that is existing staff with one catch-up date, the day the routine was saved plus its
-- due days: what a new starter that day would have had, instead of backdating people hired in 2004 to 2004.
UPDATE routine r
SET r.applies_from = COALESCE((SELECT DATE(MIN(v.changed_at)) FROM routine_version v WHERE v.routine_id = r.id), CURRENT_DATE)
WHERE r.kind = 'INTRODUCTION';
UPDATE routine SET catch_up_due = DATE_ADD(applies_from, INTERVAL due_days DAY) WHERE kind = 'INTRODUCTION';

ALTER TABLE routine ADD CONSTRAINT ck_routine_applies_from CHECK (kind = 'CONTINUING' OR applies_from IS NOT NULL);
ALTER TABLE routine ADD CONSTRAINT ck_routine_retired CHECK ((retired_at IS NULL) = (retired_by IS NULL));

-- One routine in force per node, kind and audience; retired ones may be many. The new key comes first: the node's foreign
-- key needs an index that starts with org_node_id at every moment.
ALTER TABLE routine ADD CONSTRAINT uq_routine_in_force UNIQUE (org_node_id, kind, audience_id, in_force);
ALTER TABLE routine DROP INDEX uq_routine_place;

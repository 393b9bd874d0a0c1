-- A coordinator may send a person a reminder at once from the person page (kind MANUAL): one mail listing everything the
-- person still has to do. The row records who asked for it, so the page can say so and so that a person is sent at most
-- one such mail an hour however often the button is pressed.
ALTER TABLE reminder DROP CONSTRAINT ck_reminder_kind;
ALTER TABLE reminder ADD CONSTRAINT ck_reminder_kind CHECK (kind IN ('DUE_SOON', 'OVERDUE', 'DIGEST', 'MANUAL'));
ALTER TABLE reminder ADD COLUMN requested_by VARCHAR(100) NULL AFTER org_node_id;
CREATE INDEX ix_reminder_person_kind ON reminder (person_id, kind, created_at);

-- Each new assignment is announced to the LRS once ("registered"); those made before xAPI came are not announced afterwards.
ALTER TABLE assignment ADD COLUMN announced BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE assignment SET announced = TRUE;
ALTER TABLE assignment ADD KEY ix_assignment_unannounced (announced, person_id);

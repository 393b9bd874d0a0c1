-- Issue 22, national-scale speed: the leaders' figures are read from sums kept current as things happen, instead of
-- recounting every person under the node on every view (29.8 s for the national view of 600,000 people).
--
-- Each person's standing per audience (standing) is the one definition in standing/Standing, written down here for the
-- people whose standing may have changed; where each active person counts (standing_member: every node above each of
-- their current placements, for "all audiences" (0) and for each audience of the placement); and per node and audience
-- the sums of those (standing_summary). A statistics view reads a node's row and its children's rows. Likewise the
-- competence goals each person holds (standing_goal) and per node, audience and goal the holders (goal_summary).
--
-- What may have changed is written by triggers into a change log (standing_change) in the writer's own transaction, so
-- that no writer anywhere in the code can forget it and nothing is lost when an instance dies: a person, a placement
-- (its person), a node (everyone counted under it) or a history import (everyone with a completion in it). One worker at a time (the leased background job "summaries")
-- drains the log in rounds: it takes the people of a round out of the sums, computes their standing and places anew,
-- and adds them back, in one transaction with deleting exactly the change rows it took.
--
-- The log's key is a UUID, not AUTO_INCREMENT: rows written by triggers of UPDATE and INSERT ... SELECT statements
-- would take InnoDB's table-level AUTO-INC lock (the statement's row count is unknown), and two recomputation slices
-- then deadlocked on it in the equality test.
CREATE TABLE standing_change (
    id           UUID         NOT NULL DEFAULT UUID() PRIMARY KEY,
    person_id    BIGINT       NULL COMMENT 'this person',
    placement_id BIGINT       NULL COMMENT 'the person of this placement (read by the worker, not by the trigger)',
    node_id      BIGINT       NULL COMMENT 'everyone counted under this node (it moved)',
    import_id    BIGINT       NULL COMMENT 'everyone with a completion of this history import (it became visible or not)',
    changed_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY ix_standing_change_time (changed_at)
) ENGINE = InnoDB;

-- The worker's own lists for the round it is doing (one worker at a time holds the job's lease).
CREATE TABLE standing_round_change (
    change_id UUID NOT NULL PRIMARY KEY
) ENGINE = InnoDB;

CREATE TABLE standing_round_person (
    person_id BIGINT NOT NULL PRIMARY KEY
) ENGINE = InnoDB;

-- A person's standing in one audience (0: all their duties), as of standing_state.as_of; changes_on is the first later
-- day on which it changes by itself (a duty falls due, a held cycle expires): the nightly roll recomputes those people.
CREATE TABLE standing (
    person_id            BIGINT  NOT NULL,
    audience_id          BIGINT  NOT NULL,
    has_introduction     BOOLEAN NOT NULL,
    introduction_done    BOOLEAN NOT NULL,
    introduction_on_time BOOLEAN NOT NULL,
    has_continuing       BOOLEAN NOT NULL,
    continuing_current   BOOLEAN NOT NULL,
    overdue              BOOLEAN NOT NULL,
    changes_on           DATE    NULL,
    PRIMARY KEY (person_id, audience_id),
    KEY ix_standing_changes_on (changes_on)
) ENGINE = InnoDB;

-- Where an active person counts: each node above (and at) each current placement, per audience; once however many of
-- their placements lie under the node, as the live count counts people, not placements.
CREATE TABLE standing_member (
    person_id   BIGINT NOT NULL,
    node_id     BIGINT NOT NULL,
    audience_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, node_id, audience_id),
    KEY ix_standing_member_node (node_id, audience_id)
) ENGINE = InnoDB;

-- The competence goals a person holds as of standing_state.as_of: a completion that counts, of a module version
-- covering the goal, not expired; held_until is the last day of the longest-lasting such completion (NULL: no end).
CREATE TABLE standing_goal (
    person_id  BIGINT NOT NULL,
    goal_id    BIGINT NOT NULL,
    held_until DATE   NULL,
    PRIMARY KEY (person_id, goal_id),
    KEY ix_standing_goal_until (held_until)
) ENGINE = InnoDB;

-- Per node, audience (of a placement, never 0) and goal, the members who hold the goal: every goal they hold, whether or
-- not it is written for the audience; the statistics join the goals of the audience when they read, so that the
-- catalogue rewriting the goal audiences at each start changes nothing here.
CREATE TABLE goal_summary (
    node_id     BIGINT NOT NULL,
    audience_id BIGINT NOT NULL,
    goal_id     BIGINT NOT NULL,
    holders     BIGINT NOT NULL,
    PRIMARY KEY (node_id, audience_id, goal_id)
) ENGINE = InnoDB;

CREATE TABLE standing_summary (
    node_id              BIGINT NOT NULL,
    audience_id          BIGINT NOT NULL,
    headcount            BIGINT NOT NULL,
    with_introduction    BIGINT NOT NULL,
    introduction_done    BIGINT NOT NULL,
    introduction_on_time BIGINT NOT NULL,
    with_continuing      BIGINT NOT NULL,
    continuing_current   BIGINT NOT NULL,
    overdue              BIGINT NOT NULL,
    PRIMARY KEY (node_id, audience_id)
) ENGINE = InnoDB;

-- The worker's state: the day the sums are for, whether they were ever built whole (built_at: the start of the build;
-- ready once every change logged before it is done), and when the log was last found empty.
CREATE TABLE standing_state (
    id         INT          NOT NULL PRIMARY KEY,
    as_of      DATE         NULL,
    built_at   TIMESTAMP(3) NULL,
    ready      BOOLEAN      NOT NULL DEFAULT FALSE,
    drained_at TIMESTAMP(3) NULL,
    CONSTRAINT ck_standing_state_one CHECK (id = 1)
) ENGINE = InnoDB;

INSERT INTO standing_state (id) VALUES (1);

-- The triggers: one statement each, writing a row without reading any table (no locks beyond the row written).
-- Assignments: anything the standing reads; not announced, reminders or timestamps.
CREATE TRIGGER standing_assignment_added AFTER INSERT ON assignment FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (NEW.person_id);

CREATE TRIGGER standing_assignment_changed AFTER UPDATE ON assignment FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.person_id FROM DUAL
    WHERE NOT (NEW.completion_id <=> OLD.completion_id AND NEW.withdrawn_at <=> OLD.withdrawn_at
               AND NEW.due_date <=> OLD.due_date AND NEW.valid_until <=> OLD.valid_until
               AND NEW.routine_id <=> OLD.routine_id AND NEW.module_code <=> OLD.module_code
               AND NEW.person_id <=> OLD.person_id);

CREATE TRIGGER standing_assignment_removed AFTER DELETE ON assignment FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (OLD.person_id);

CREATE TRIGGER standing_exemption_added AFTER INSERT ON exemption FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (NEW.person_id);

CREATE TRIGGER standing_exemption_changed AFTER UPDATE ON exemption FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.person_id FROM DUAL
    WHERE NOT (NEW.person_id <=> OLD.person_id AND NEW.module_code <=> OLD.module_code);

CREATE TRIGGER standing_exemption_removed AFTER DELETE ON exemption FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (OLD.person_id);

-- A new completion may give a goal (its assignment, if any, is linked by an update). An imported one is seen by nobody
-- until its import has SUCCEEDED: that moment is logged once for the whole import, below.
CREATE TRIGGER standing_completion_added AFTER INSERT ON completion FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.person_id FROM DUAL WHERE NEW.import_id IS NULL;

CREATE TRIGGER standing_import_changed AFTER UPDATE ON roster_import FOR EACH ROW
    INSERT INTO standing_change (import_id)
    SELECT NEW.id FROM DUAL
    WHERE NOT (NEW.status <=> OLD.status) AND (NEW.status = 'SUCCEEDED' OR OLD.status = 'SUCCEEDED');

-- A completion is never updated but for voiding it (or, by hand, its date): its assignment may keep pointing at it.
CREATE TRIGGER standing_completion_changed AFTER UPDATE ON completion FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.person_id FROM DUAL
    WHERE NOT (NEW.voided_at <=> OLD.voided_at AND NEW.completed_on <=> OLD.completed_on);

CREATE TRIGGER standing_person_changed AFTER UPDATE ON person FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.id FROM DUAL WHERE NOT (NEW.status <=> OLD.status);

CREATE TRIGGER standing_placement_added AFTER INSERT ON placement FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (NEW.person_id);

CREATE TRIGGER standing_placement_changed AFTER UPDATE ON placement FOR EACH ROW
    INSERT INTO standing_change (person_id)
    SELECT NEW.person_id FROM DUAL
    WHERE NOT (NEW.ended_on <=> OLD.ended_on AND NEW.org_node_id <=> OLD.org_node_id AND NEW.person_id <=> OLD.person_id);

CREATE TRIGGER standing_placement_removed AFTER DELETE ON placement FOR EACH ROW
    INSERT INTO standing_change (person_id) VALUES (OLD.person_id);

CREATE TRIGGER standing_placement_audience_added AFTER INSERT ON placement_audience FOR EACH ROW
    INSERT INTO standing_change (placement_id) VALUES (NEW.placement_id);

CREATE TRIGGER standing_placement_audience_removed AFTER DELETE ON placement_audience FOR EACH ROW
    INSERT INTO standing_change (placement_id) VALUES (OLD.placement_id);

-- A node moved: its closure rows are deleted and written anew; everyone counted under a descendant is placed again.
CREATE TRIGGER standing_closure_added AFTER INSERT ON org_closure FOR EACH ROW
    INSERT INTO standing_change (node_id)
    SELECT NEW.descendant_id FROM DUAL WHERE NEW.ancestor_id <> NEW.descendant_id;

CREATE TRIGGER standing_closure_removed AFTER DELETE ON org_closure FOR EACH ROW
    INSERT INTO standing_change (node_id)
    SELECT OLD.descendant_id FROM DUAL WHERE OLD.ancestor_id <> OLD.descendant_id;

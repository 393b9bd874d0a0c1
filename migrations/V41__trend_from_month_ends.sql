-- Issue 22: the leaders' trend (the last 24 months) read from kept figures instead of recounting every person under the
-- node for every month (the slowest part of the national report once the overview came from standing_summary), and each
-- past month counted with that month's people instead of today's.
--
-- How a node stood at a month's end (its people, those with an introduction and those done with it, those with something
-- overdue) is written down when the month ends: the worker rolls the sums to the month's last day, drains the log and
-- copies the node's row for all audiences (standing_summary, audience 0) here. The months before the first such copy are
-- counted once when the sums are first built, with the people of that day, and marked estimated. A month's row is never
-- changed after it is written: late news about a closed month (a history import, a registered course) does not move
-- how it stood at its end, as a monthly report once sent does not change.
CREATE TABLE standing_month (
    node_id           BIGINT  NOT NULL,
    month_end         DATE    NOT NULL,
    headcount         BIGINT  NOT NULL,
    with_introduction BIGINT  NOT NULL,
    introduction_done BIGINT  NOT NULL,
    overdue           BIGINT  NOT NULL,
    estimated         BOOLEAN NOT NULL COMMENT 'counted afterwards with the people of the first build, not at the month end',
    PRIMARY KEY (node_id, month_end)
) ENGINE = InnoDB;

-- The completions taken in each month are a count, not a state: one registered or imported later counts in the month it
-- was taken, by the people counted under the node now. Per person and month (standing_completion, written with the rest of
-- a person's standing) and per node and month (completion_summary), kept current by the same rounds. Months older than
-- the trend are deleted when a month ends.
CREATE TABLE standing_completion (
    person_id   BIGINT NOT NULL,
    month_end   DATE   NOT NULL,
    completions INT    NOT NULL,
    PRIMARY KEY (person_id, month_end)
) ENGINE = InnoDB;

CREATE TABLE completion_summary (
    node_id     BIGINT NOT NULL,
    month_end   DATE   NOT NULL,
    completions BIGINT NOT NULL,
    PRIMARY KEY (node_id, month_end)
) ENGINE = InnoDB;

-- The sums are built anew (standing_completion is empty): until then the statistics count live.
UPDATE standing_state SET ready = FALSE, built_at = NULL WHERE id = 1;

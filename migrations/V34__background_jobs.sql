-- Background work on several instances (issue 21). db-scheduler's table: one row per kind of background work (a
-- recurring task whose holder drains that kind's queue). The instance that picks a row holds it while its heartbeat
-- (last_heartbeat) is fresh; when an instance dies its heartbeat stops, and after the missed-heartbeat limit another
-- instance revives the row and takes the work over. Picking is an optimistic update on `version`, which Galera's
-- certification keeps correct across nodes (no SELECT ... FOR UPDATE, which holds on one node only).
-- Times are UTC wall-clock times (DATETIME, not TIMESTAMP, so the session time zone never shifts them).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB NULL,
    execution_time       DATETIME(6)  NOT NULL,
    picked               BOOLEAN      NOT NULL,
    picked_by            VARCHAR(50)  NULL,
    last_success         DATETIME(6)  NULL,
    last_failure         DATETIME(6)  NULL,
    consecutive_failures INT          NULL,
    last_heartbeat       DATETIME(6)  NULL,
    version              BIGINT       NOT NULL,
    priority             SMALLINT     NULL,
    PRIMARY KEY (task_name, task_instance),
    INDEX scheduled_tasks_execution_time (execution_time),
    INDEX scheduled_tasks_last_heartbeat (last_heartbeat),
    INDEX scheduled_tasks_priority_execution_time (priority, execution_time)
);

-- When a reminder was claimed for sending: the reminders' job marks a reminder still SENDING long after its claim as
-- cut short (its sender died), instead of every starting instance failing every SENDING reminder, live ones included.
ALTER TABLE reminder ADD COLUMN claimed_at TIMESTAMP NULL AFTER attempts;

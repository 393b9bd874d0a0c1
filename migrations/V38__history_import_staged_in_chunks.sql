-- Issue 21, Galera's bounded write sets: a history import writes its completions in chunks, each chunk a transaction
-- of its own (a few thousand rows, well below wsrep_max_ws_size), and makes them visible in one small transaction: the
-- one that marks the import SUCCEEDED. Until then they are there but seen by nobody; a failed or abandoned import's
-- completions are deleted in chunks. (Before, a million-row import was one transaction of about 150 MB of write set.)
--
-- The rule "a completion is there at all" has one home, this view: a completion brought by an import is visible once
-- its import has SUCCEEDED, every other completion always. The history pages read it (voided ones struck through);
-- counted_completion, the one home of "a completion that counts", is now built on it, so every reading for routines,
-- assignments, follow-up, reminders, certificates and statistics leaves the staged rows out without changing. Only the
-- import itself (and tests) read the table completion. The subquery is in the WHERE clause, which keeps the view
-- mergeable (ALGORITHM=MERGE: no temporary table, the indexes of completion used as before); it looks the import up
-- by its primary key, only for imported rows. Like counted_completion, its columns are those of completion now: a later
-- migration adding a column to completion must recreate both views.
CREATE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW visible_completion AS
SELECT * FROM completion
WHERE import_id IS NULL
   OR EXISTS (SELECT 1 FROM roster_import vi WHERE vi.id = completion.import_id AND vi.status = 'SUCCEEDED');

CREATE OR REPLACE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW counted_completion AS
SELECT * FROM visible_completion WHERE voided_at IS NULL;

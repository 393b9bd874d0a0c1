-- Issue 21, "zero lost statements": a history import's "completed" statements (where
-- kompetensmal.xapi.send-imported-history asks for them) are written after its success, a batch per transaction. An
-- instance that died meanwhile left the rest unwritten, and nothing went on with them. The flag is set in the import's
-- final transaction (the one that makes it SUCCEEDED) and cleared once every statement is written; the roster-import
-- job goes on with any import that still has it, on whichever instance holds the kind. A statement's id is derived from
-- its completion, so the batches written before the instance died are not written twice.
ALTER TABLE roster_import
    ADD COLUMN statements_pending BOOLEAN NOT NULL DEFAULT FALSE
        COMMENT 'SUCCEEDED history import whose completed statements are not all written yet';

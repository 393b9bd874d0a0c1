-- With a backlog of hundreds of thousands of statements, the sender's claim of the oldest due ones sorted every pending row
-- (1.7 s a batch at full size) and reading back its claim scanned the table. Both now go by index: pending rows in id order,
-- and a worker's own claim.
ALTER TABLE xapi_outbox
    ADD KEY ix_xapi_outbox_pending (status, id),
    ADD KEY ix_xapi_outbox_claimed (claimed_by, id);

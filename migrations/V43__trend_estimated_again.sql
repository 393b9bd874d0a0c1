-- The trend's months before the first month the summaries closed are estimated, counted with today's people (V41).
-- Estimated only once, when the sums were first built, they stayed empty where that build found nobody: a fresh
-- installation (or the demo) builds its sums before its first roster import, so its trend showed no shares for any
-- earlier month, ever. Until the first month closes, they are now estimated again whenever a recomputation of
-- assignments has finished (after a roster or history import, a routine change) since they were last estimated.
-- months_asked_at: when a finished recomputation last asked for it; months_estimated_at: the request the estimate
-- answered (so a request that arrives while estimating is answered by the next round, not lost).
ALTER TABLE standing_state
    ADD COLUMN months_asked_at     TIMESTAMP(3) NULL,
    ADD COLUMN months_estimated_at TIMESTAMP(3) NULL;

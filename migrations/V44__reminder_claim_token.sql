-- Who claimed a reminder: a token of the claim itself (random, one per claim). When the connection is lost while the
-- claim's UPDATE is answered (a Galera node killed, the driver failing over), whether the claim was committed is
-- unknown to the sender; it reads the row again and sends the mail only if the token is its own. Before, the round
-- stopped there and a committed claim left the reminder SENDING, never sent (the Galera test, 2026-12-03: "Driver has
-- reconnect connection after a communications link failure" in the claim while node 1 was killed).
ALTER TABLE reminder ADD COLUMN claim_token CHAR(36) NULL AFTER claimed_at;

-- Who claimed the reminder before an occasion: a token of the claim itself (random, one per claim), as V44 gave the
-- training reminders. When the connection is lost while the claim's UPDATE is answered, whether the claim was committed
-- is unknown to the sender; it reads the row again and sends the mail only if the token is its own. Before, the round
-- stopped there and a committed claim left the place marked reminded with no mail sent (the Galera test, 2026-12-03:
-- "7 mails for 8 places reminded"). A claim given back (the mail server refused the mail) clears it with reminded_at.
ALTER TABLE session_signup ADD COLUMN reminder_claim_token CHAR(36) NULL AFTER reminded_at;

-- Issue 18 (helper C1): the answer to a SCO's last call, so that the call retried after a lost answer (same session and
-- sequence number) gets the same answer again instead of being applied twice; a SetValue's answer cannot be worked out
-- again once its value is in the data model. Up to a suspend_data read of 64000 characters.
ALTER TABLE scorm_sco_state ADD COLUMN last_answer MEDIUMTEXT NULL AFTER last_seq;

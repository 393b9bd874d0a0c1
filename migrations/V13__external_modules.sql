-- External modules are taken elsewhere (an xAPI activity with a launch link); their completions are read from the LRS and
-- kept with the id of the statement they came from, so that reading the LRS again never counts one twice.
ALTER TABLE module_version
    ADD COLUMN xapi_activity_id VARCHAR(500) NULL AFTER pass_mark,
    ADD COLUMN launch_url       VARCHAR(500) NULL AFTER xapi_activity_id,
    ADD KEY ix_module_version_activity (xapi_activity_id);

ALTER TABLE completion
    ADD COLUMN external_statement_id CHAR(36) NULL AFTER source,
    ADD CONSTRAINT uq_completion_external_statement UNIQUE (external_statement_id);

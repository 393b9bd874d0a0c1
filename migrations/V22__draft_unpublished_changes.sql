-- Issue 17 (authoring): whether a module's draft holds changes that are not yet published. Set by every change to the
-- draft (text or images), cleared by publishing; a draft made from a published version has none. The module list and
-- overview say "unpublished changes" from this, without validating and hashing every draft to compare it.
ALTER TABLE module_draft
    ADD COLUMN unpublished_changes BOOLEAN NOT NULL DEFAULT TRUE;

-- An organisation may let its leaders see the names of the people in the units they lead (off by default: aggregates only).
ALTER TABLE org_node ADD COLUMN leaders_see_names BOOLEAN NOT NULL DEFAULT FALSE;

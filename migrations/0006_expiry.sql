-- Applications abandoned before submission expire (hardening, rule A6's
-- "abandoned applications keep their login IDs"): the sweep marks them
-- withdrawn, with the time, releases the login ID and erases the contact
-- person's data.
ALTER TABLE members ADD COLUMN expired_at TEXT;

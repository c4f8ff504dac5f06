-- 0002: the application a ticket was obtained through.
--
-- In Online mode a log-in records the calling application on its ticket, and every call
-- with the ticket must come from the same application. NULL for on-site tickets, and for
-- tickets issued before this version (an Online installation refuses those: their users
-- log in again). Apps are revoked, never deleted, so the reference always resolves.

ALTER TABLE tickets ADD COLUMN app_id BIGINT REFERENCES apps (id);

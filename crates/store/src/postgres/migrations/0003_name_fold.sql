-- 0003: names are unique by their NFKC case fold.
--
-- Every `name_key` (tenants, associates, apps) is recomputed from its name by the
-- application, right after this file runs and in the same transaction (see
-- `name_fold.rs`: SQL has no NFKC case fold). The migration is refused, with the names,
-- when two names of one tenant fold to the same key. No schema change: the existing
-- UNIQUE constraints on `name_key` now carry the stricter rule.
SELECT 1;

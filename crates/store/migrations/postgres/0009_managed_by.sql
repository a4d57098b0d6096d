-- Configuration as code: channels and rules declared in tocsin.toml are marked with the name
-- they are declared under (the reconcile key) and a hash of their declaration, so that a
-- reload changes only what changed. Objects made through the API or UI keep 'api'.

ALTER TABLE channels ADD COLUMN managed_by TEXT NOT NULL DEFAULT 'api';
ALTER TABLE channels ADD COLUMN declared_name TEXT;
ALTER TABLE channels ADD COLUMN declared_hash TEXT;
CREATE UNIQUE INDEX channels_declared_name ON channels(declared_name)
    WHERE declared_name IS NOT NULL;

ALTER TABLE rules ADD COLUMN managed_by TEXT NOT NULL DEFAULT 'api';
ALTER TABLE rules ADD COLUMN declared_name TEXT;
ALTER TABLE rules ADD COLUMN declared_hash TEXT;
CREATE UNIQUE INDEX rules_declared_name ON rules(declared_name)
    WHERE declared_name IS NOT NULL;

-- Sender profiles: an email server and its credentials shared by email channels.

CREATE TABLE sender_profiles (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    settings   TEXT NOT NULL,
    secrets    TEXT NOT NULL,
    is_default BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- At most one default profile per kind.
CREATE UNIQUE INDEX sender_profiles_default ON sender_profiles(kind) WHERE is_default;

-- Lobby kiosks: devices registered by a town's admin, each with a credential (only its SHA-256
-- stored) and the profile staff set for it; the single-use login nonces issued to them; and the
-- kiosk a session is bound to (a kiosk session is valid only with that kiosk's credential).

CREATE TABLE kiosks (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    slug            TEXT NOT NULL,
    name            TEXT NOT NULL,
    credential_hash TEXT NOT NULL UNIQUE,
    profile         TEXT NOT NULL,
    profile_version INTEGER NOT NULL DEFAULT 1,
    registered_at   TEXT NOT NULL,
    last_contact_at TEXT,
    revoked_at      TEXT,
    UNIQUE (town_id, slug)
);

CREATE TABLE kiosk_nonces (
    nonce_hash TEXT PRIMARY KEY,
    kiosk_id   INTEGER NOT NULL REFERENCES kiosks(id) ON DELETE CASCADE,
    origin     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE sessions ADD COLUMN kiosk_id INTEGER REFERENCES kiosks(id) ON DELETE CASCADE;
CREATE INDEX sessions_kiosk ON sessions(kiosk_id) WHERE kiosk_id IS NOT NULL;

-- Identity-provider logins at a kiosk. The provider's pages need a browser, so the kiosk opens
-- one (a webview of its own) for a handoff it asked for; the login in that browser completes
-- the handoff (who logged in, at what level) and ends there; the kiosk then claims it with its
-- credential and gets a session bound to itself. Only the handoff id's SHA-256 is stored.

CREATE TABLE kiosk_handoffs (
    id_hash      TEXT PRIMARY KEY,
    kiosk_id     INTEGER NOT NULL REFERENCES kiosks(id) ON DELETE CASCADE,
    expires_at   INTEGER NOT NULL,
    citizen_id   INTEGER REFERENCES citizens(id) ON DELETE CASCADE,
    provider     TEXT,
    loa          TEXT CHECK (loa IN ('low', 'substantial', 'high')),
    completed_at INTEGER,
    CHECK ((citizen_id IS NULL) = (completed_at IS NULL))
) WITHOUT ROWID;

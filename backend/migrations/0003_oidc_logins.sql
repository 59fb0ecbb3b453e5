-- Logins started at an identity provider and not yet come back (OpenID Connect).
-- Keyed by a SHA-256 of the `state` parameter; each row is used once and lives ~10 minutes.
-- `browser_hash` ties the login to the browser that started it (a cookie), against login CSRF.
CREATE TABLE oidc_pending_logins (
    state_hash    TEXT PRIMARY KEY,
    browser_hash  TEXT NOT NULL,
    town_id       INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    provider      TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oidc_pending_logins_created ON oidc_pending_logins(created_at);

-- Towns, people, their identities, roles, sessions and the audit log.
-- Times are UTC: RFC 3339 text for dates people read, unix seconds where the server compares.

CREATE TABLE towns (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    ico              TEXT NOT NULL,
    street           TEXT NOT NULL,
    city             TEXT NOT NULL,
    psc              TEXT NOT NULL,
    coat_of_arms_url TEXT,
    bank_account     TEXT NOT NULL,
    is_demo          INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL
);

-- Host names under which a town's portal is served (several towns can share one installation).
CREATE TABLE town_hostnames (
    hostname TEXT PRIMARY KEY,
    town_id  INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE
);

CREATE TABLE town_modules (
    town_id INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    module  TEXT NOT NULL,
    PRIMARY KEY (town_id, module)
);

-- A person. Identities from providers point here; people are never merged by name or birth date.
CREATE TABLE citizens (
    id            INTEGER PRIMARY KEY,
    given_name    TEXT NOT NULL,
    family_name   TEXT NOT NULL,
    date_of_birth TEXT,
    street        TEXT,
    city          TEXT,
    psc           TEXT,
    email         TEXT,
    phone         TEXT,
    is_demo       INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- One login identity: a provider and the stable subject it gives (NIA PersonIdentifier, OIDC sub…).
CREATE TABLE identities (
    id            INTEGER PRIMARY KEY,
    citizen_id    INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    provider      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    linked_at     TEXT NOT NULL,
    last_login_at TEXT,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_citizen ON identities(citizen_id);

-- Staff roles per town; an official may be limited to one module (NULL = every module).
CREATE TABLE role_grants (
    id         INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    town_id    INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('official', 'admin')),
    module     TEXT,
    granted_at TEXT NOT NULL,
    UNIQUE (citizen_id, town_id, role, module)
);

-- Server-side sessions. Only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    citizen_id   INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    town_id      INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    loa          TEXT NOT NULL CHECK (loa IN ('low', 'substantial', 'high')),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_citizen ON sessions(citizen_id);

-- Who did what, when. Never tokens, PINs, card data or birth numbers.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    town_id    INTEGER REFERENCES towns(id) ON DELETE SET NULL,
    citizen_id INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    event      TEXT NOT NULL,
    provider   TEXT,
    loa        TEXT,
    ip         TEXT,
    detail     TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);

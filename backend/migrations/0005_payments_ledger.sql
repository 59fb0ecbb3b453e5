-- Money received and where it went. A payment comes from a bank statement item, the card
-- gateway or a staff member's manual entry; (source, external_id) lets each arrive only once,
-- however often a statement is imported or a notification repeated.

ALTER TABLE obligations ADD COLUMN specific_symbol TEXT;
ALTER TABLE obligations ADD COLUMN constant_symbol TEXT;
CREATE INDEX obligations_vs ON obligations(town_id, variable_symbol);

-- One imported statement file. The same file twice is recognised by its hash.
CREATE TABLE statement_imports (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    file_sha256 TEXT NOT NULL,
    format      TEXT NOT NULL,
    items       INTEGER NOT NULL,
    credited    INTEGER NOT NULL,
    unmatched   INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    -- The staff member who uploaded it; NULL from the command line.
    imported_by INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    UNIQUE (town_id, file_sha256)
);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    source          TEXT NOT NULL CHECK (source IN ('bank', 'card', 'manual')),
    external_id     TEXT NOT NULL,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere > 0),
    received_on     TEXT NOT NULL,
    variable_symbol TEXT,
    specific_symbol TEXT,
    constant_symbol TEXT,
    counter_account TEXT,
    counter_name    TEXT,
    message         TEXT,
    import_id       INTEGER REFERENCES statement_imports(id) ON DELETE SET NULL,
    -- matched: allocated to obligations; unmatched: waits in the staff queue.
    state           TEXT NOT NULL CHECK (state IN ('matched', 'unmatched')),
    -- How it was matched, or why not: a stable code the client words (see payments::ledger).
    match_note      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (town_id, source, external_id)
);
CREATE INDEX payments_state ON payments(town_id, state);

CREATE TABLE payment_allocations (
    id            INTEGER PRIMARY KEY,
    payment_id    INTEGER NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
    amount_halere INTEGER NOT NULL CHECK (amount_halere > 0),
    created_at    TEXT NOT NULL
);
CREATE INDEX payment_allocations_obligation ON payment_allocations(obligation_id);
CREATE INDEX payment_allocations_payment ON payment_allocations(payment_id);

-- Everything that happened to an obligation's money, for its history and the audit.
CREATE TABLE obligation_events (
    id            INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    event         TEXT NOT NULL,
    amount_halere INTEGER,
    payment_id    INTEGER REFERENCES payments(id) ON DELETE SET NULL,
    actor_id      INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    note          TEXT
);
CREATE INDEX obligation_events_obligation ON obligation_events(obligation_id);

-- What citizens owe the town (grown by the payments module) and messages from the office.

CREATE TABLE obligations (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    payer_id        INTEGER NOT NULL REFERENCES citizens(id),
    item            TEXT NOT NULL,
    description     TEXT NOT NULL,
    period          TEXT,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere >= 0),
    paid_halere     INTEGER NOT NULL DEFAULT 0 CHECK (paid_halere >= 0),
    due_date        TEXT NOT NULL,
    variable_symbol TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'unpaid'
                    CHECK (status IN ('unpaid', 'partly_paid', 'paid', 'overpaid', 'cancelled')),
    created_at      TEXT NOT NULL
);
CREATE INDEX obligations_payer ON obligations(town_id, payer_id, status);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    citizen_id INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX messages_citizen ON messages(town_id, citizen_id, read_at);

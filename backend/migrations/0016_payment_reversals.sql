-- Credits the bank took back: a statement's reversal item (ABO/GPC accounting code 5, or 4 at
-- Česká spořitelna; camt.053 CRDT with RvslInd). Each is applied once, however often its
-- statement is imported: it takes back the bank payment with the same amount and variable
-- symbol (and counter account, when both name one), and the obligations it paid owe again.
CREATE TABLE payment_reversals (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    -- The bank movement of the reversal itself.
    external_id     TEXT NOT NULL,
    -- The payment taken back; NULL when none was found (staff are told in the import report).
    payment_id      INTEGER UNIQUE REFERENCES payments(id) ON DELETE SET NULL,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere > 0),
    received_on     TEXT NOT NULL,
    variable_symbol TEXT,
    counter_account TEXT,
    import_id       INTEGER REFERENCES statement_imports(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (town_id, external_id)
);

ALTER TABLE statement_imports ADD COLUMN reversed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE statement_imports ADD COLUMN reversals_unpaired INTEGER NOT NULL DEFAULT 0;

-- A basket: several of a payer's obligations paid with one bank transfer (one QR Platba). Its
-- variable symbol (prefix 99, then the basket's number) identifies the transfer; the statement
-- import spreads such a payment over the basket's obligations, oldest due date first.

CREATE TABLE payment_baskets (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    payer_id        INTEGER NOT NULL REFERENCES citizens(id) ON DELETE CASCADE,
    variable_symbol TEXT NOT NULL,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere > 0),
    -- The basket's obligation ids, sorted and comma-separated: the same choice reuses it.
    obligation_key  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (town_id, variable_symbol)
);
CREATE INDEX payment_baskets_payer ON payment_baskets(town_id, payer_id, obligation_key);

CREATE TABLE payment_basket_items (
    basket_id     INTEGER NOT NULL REFERENCES payment_baskets(id) ON DELETE CASCADE,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
    PRIMARY KEY (basket_id, obligation_id)
) WITHOUT ROWID;

-- Card payments through the gateway: one row per attempt to pay a basket of obligations. The
-- money itself is a `payments` row (source 'card', external_id = the gateway's payment id),
-- written once, when the gateway says the attempt is paid.

CREATE TABLE card_payments (
    id                 INTEGER PRIMARY KEY,
    town_id            INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    payer_id           INTEGER NOT NULL REFERENCES citizens(id),
    -- Our idempotency key at the gateway: a repeated create with it returns the same payment.
    merchant_order_id  TEXT NOT NULL UNIQUE,
    -- The basket (payer, obligations, amounts) hashed: a double click finds the attempt again.
    basket_key         TEXT NOT NULL,
    -- The gateway's id; NULL until the gateway answered the create.
    gateway_payment_id TEXT UNIQUE,
    redirect_url       TEXT,
    amount_halere      INTEGER NOT NULL CHECK (amount_halere > 0),
    status             TEXT NOT NULL DEFAULT 'created'
                       CHECK (status IN ('created', 'paid', 'declined', 'cancelled', 'expired')),
    -- The newest gateway version applied (notification or status query); older ones are ignored.
    gateway_version    INTEGER NOT NULL DEFAULT 0,
    -- The payment credited for it, once paid.
    payment_id         INTEGER REFERENCES payments(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- When the recovery poller last asked the gateway about it.
    polled_at          TEXT
);
CREATE INDEX card_payments_basket ON card_payments(town_id, payer_id, basket_key);
CREATE INDEX card_payments_open ON card_payments(created_at) WHERE status = 'created';

-- What the attempt pays: each obligation with what was owed on it when the attempt started.
CREATE TABLE card_payment_items (
    card_payment_id INTEGER NOT NULL REFERENCES card_payments(id) ON DELETE CASCADE,
    obligation_id   INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere > 0),
    PRIMARY KEY (card_payment_id, obligation_id)
) WITHOUT ROWID;
CREATE INDEX card_payment_items_obligation ON card_payment_items(obligation_id);

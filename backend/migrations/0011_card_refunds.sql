-- Money an official returned from a card payment through the gateway. `refund_id` is what the
-- gateway got (its idempotency key), so a retried request is the same refund. What the refund
-- took off each obligation is in obligation_events ('refund', negative amount).

CREATE TABLE card_refunds (
    id              INTEGER PRIMARY KEY,
    card_payment_id INTEGER NOT NULL REFERENCES card_payments(id) ON DELETE CASCADE,
    refund_id       TEXT NOT NULL UNIQUE,
    amount_halere   INTEGER NOT NULL CHECK (amount_halere > 0),
    reason          TEXT NOT NULL,
    actor_id        INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX card_refunds_payment ON card_refunds(card_payment_id);

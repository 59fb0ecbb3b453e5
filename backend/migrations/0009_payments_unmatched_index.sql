-- The staff queue is the only query by a payment's state (`WHERE town_id = ? AND state =
-- 'unmatched' ORDER BY received_on, id`). A partial index holds just the payments waiting
-- there, so a matched payment (nearly all of a statement import's 100 000) no longer costs an
-- index entry, and the queue comes in its order without a sort.
DROP INDEX payments_state;
CREATE INDEX payments_unmatched ON payments(town_id, received_on) WHERE state = 'unmatched';

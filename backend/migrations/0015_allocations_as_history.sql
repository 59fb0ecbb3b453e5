-- A payment's share of an obligation is also an event in that obligation's history, so it is
-- now written once, as the allocation, which says what happened (`event`: payment,
-- manual_payment, payment_assigned), who did it (`actor_id`) and why (`reason`, a staff
-- member's words; without one the payment's match_note explains it). obligation_events keeps
-- what is not a payment's share: an obligation created, a refund. This takes a row and an index
-- entry per credit off a statement import and off every credited card payment.
--
-- Allocations written before this migration keep `event` NULL: their history event is in
-- obligation_events, where it stays (`payments::store::history` reads both).
ALTER TABLE payment_allocations ADD COLUMN event TEXT;
ALTER TABLE payment_allocations ADD COLUMN actor_id INTEGER REFERENCES citizens(id) ON DELETE SET NULL;
ALTER TABLE payment_allocations ADD COLUMN reason TEXT;

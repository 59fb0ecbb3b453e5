-- A payer's obligations are found by (town_id, payer_id) alone: the one query by status
-- (`payments::store::owed_by`) already tests it row by row, and a status in the index made
-- every payment rewrite an index entry besides the row (two b-tree searches per obligation a
-- statement import pays).
DROP INDEX obligations_payer;
CREATE INDEX obligations_payer ON obligations(town_id, payer_id);

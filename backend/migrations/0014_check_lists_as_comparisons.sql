-- The CHECK constraints on the statuses written with every payment, `x IN ('a', 'b', 'c')`,
-- made SQLite build a temporary b-tree of the list each time such a row was written (`EXPLAIN`:
-- an OpenEphemeral and an insert per value): about a third of the card writer's work per
-- credited notification. The same rules as comparisons cost a few instructions.
--
-- The stored CREATE TABLE texts are edited in place, SQLite's documented way to change CHECK
-- constraints without rebuilding a table (https://www.sqlite.org/lang_altertable.html, "Making
-- Other Kinds Of Table Schema Changes"): the rows on disk do not change. The temporary table
-- at the end is DDL, which makes every other connection reload the schema.
PRAGMA writable_schema = ON;

UPDATE sqlite_schema
SET sql = replace(sql,
    'CHECK (status IN (''unpaid'', ''partly_paid'', ''paid'', ''overpaid'', ''cancelled''))',
    'CHECK (status = ''unpaid'' OR status = ''partly_paid'' OR status = ''paid'' OR status = ''overpaid'' OR status = ''cancelled'')')
WHERE type = 'table' AND name = 'obligations';

UPDATE sqlite_schema
SET sql = replace(sql,
    'CHECK (source IN (''bank'', ''card'', ''manual''))',
    'CHECK (source = ''bank'' OR source = ''card'' OR source = ''manual'')')
WHERE type = 'table' AND name = 'payments';

UPDATE sqlite_schema
SET sql = replace(sql,
    'CHECK (status IN (''created'', ''paid'', ''declined'', ''cancelled'', ''expired''))',
    'CHECK (status = ''created'' OR status = ''paid'' OR status = ''declined'' OR status = ''cancelled'' OR status = ''expired'')')
WHERE type = 'table' AND name = 'card_payments';

PRAGMA writable_schema = RESET;

CREATE TABLE schema_reload (x);
DROP TABLE schema_reload;

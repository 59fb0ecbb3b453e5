-- Fee types (set by the town's ordinance, declared in the config file as [[town.fee]]), the
-- registers the yearly run reads (households with members, dogs) and the key that lets the run
-- create each obligation only once.

CREATE TABLE fee_types (
    id       INTEGER PRIMARY KEY,
    town_id  INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('per_person', 'per_dog')),
    -- The parsed settings (rates, instalments, symbols) as JSON; rewritten at every start.
    settings TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (town_id, code)
);

-- A household: the payer (a citizen) pays the fees of all its members.
CREATE TABLE households (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    payer_id   INTEGER NOT NULL REFERENCES citizens(id),
    address    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX households_town ON households(town_id);

CREATE TABLE household_members (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES households(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    citizen_id    INTEGER REFERENCES citizens(id) ON DELETE SET NULL,
    -- NULL: the class follows from the age on 1 January.
    rate_class    TEXT CHECK (rate_class IN ('adult', 'child', 'pensioner', 'exempt')),
    valid_from    TEXT NOT NULL,
    valid_to      TEXT
);
CREATE INDEX household_members_household ON household_members(household_id);

CREATE TABLE dogs (
    id            INTEGER PRIMARY KEY,
    town_id       INTEGER NOT NULL REFERENCES towns(id) ON DELETE CASCADE,
    owner_id      INTEGER NOT NULL REFERENCES citizens(id),
    name          TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    ended_on      TEXT,
    -- Exempt dogs (guide dogs, assistance dogs…) are charged nothing and are not counted.
    exempt        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dogs_owner ON dogs(town_id, owner_id);

-- What an obligation of the yearly run is for ('member:12:i1', 'dog:5:i2'); with the item (the
-- fee code) and the period it is created once, however often the run is repeated.
ALTER TABLE obligations ADD COLUMN subject_key TEXT;
CREATE UNIQUE INDEX obligations_subject ON obligations(town_id, item, period, subject_key)
    WHERE subject_key IS NOT NULL;

-- Linking another provider to a logged-in citizen, and step-up to a higher level of assurance.
-- A pending login now says what it is for; linking and step-up remember the session (hashed)
-- that asked, so the answer is applied to that citizen and no other.
ALTER TABLE oidc_pending_logins ADD COLUMN purpose TEXT NOT NULL DEFAULT 'login'
    CHECK (purpose IN ('login', 'link', 'step_up'));
ALTER TABLE oidc_pending_logins ADD COLUMN session_hash TEXT;
ALTER TABLE oidc_pending_logins ADD COLUMN wanted_loa TEXT NOT NULL DEFAULT 'low'
    CHECK (wanted_loa IN ('low', 'substantial', 'high'));

-- The town's login an identity came through (its `[[town.login]]` id), to name it on the
-- profile page. NULL for identities from before this column and for demo people.
ALTER TABLE identities ADD COLUMN login_id TEXT;

-- Partners embed the widget on their sites (src/partners/): a public id, the origins allowed to frame it, the
-- secret that signs their users' tokens (sealed with the master key; the one before a rotation stays valid
-- until `previous_until`), a monthly credit budget for all their visitors, each visitor's allowance, and
-- whether visitors who aren't the partner's signed-in users may use it as guests.
CREATE TABLE partners (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    previous_secret_sealed TEXT,
    previous_until BIGINT,
    monthly_credits BIGINT NOT NULL,
    visitor_allowance BIGINT NOT NULL,
    guests INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);

-- A token's nonce, kept until the token expires: the same token is accepted once.
CREATE TABLE partner_nonces (
    partner_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (partner_id, nonce)
);

-- A widget visitor is an account of the partner's: a guest (no partner user id) or the partner's user.
ALTER TABLE users ADD COLUMN partner_id TEXT REFERENCES partners (id);
ALTER TABLE users ADD COLUMN partner_user TEXT;
CREATE UNIQUE INDEX users_partner_user ON users (partner_id, partner_user) WHERE partner_user IS NOT NULL;

-- A widget session authenticates only the widget's routes, never the rest of the API.
ALTER TABLE sessions ADD COLUMN widget_partner TEXT;

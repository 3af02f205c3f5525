-- People who may use the tracker. Tokens are random, so a SHA-256 of the token is
-- enough to find and check one without keeping the token itself.
CREATE TABLE users (
    name        text PRIMARY KEY,
    role        text NOT NULL CHECK (role IN
                    ('program_officer', 'finance_officer', 'strategy_analyst', 'admin')),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

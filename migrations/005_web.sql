-- The web pages: people sign in with a password (argon2, its hash only), and their
-- sessions live here, so that any server process knows them and sign-out ends them.
ALTER TABLE users ADD COLUMN password_hash text;

-- A visitor's session, before and after signing in: its id is random and kept only as
-- a SHA-256 hash; the CSRF token every form carries belongs to it.
CREATE TABLE web_sessions (
    id_hash     text PRIMARY KEY,
    user_name   text REFERENCES users (name) ON DELETE CASCADE,
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

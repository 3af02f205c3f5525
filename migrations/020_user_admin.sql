-- People managed from the pages by an admin: a deactivated user keeps their name (the
-- events they recorded name them) but no token, password or session; every change to
-- someone's access is kept with who made it and when.
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;

CREATE TABLE user_changes (
    id          bigserial PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users (name),
    change      text NOT NULL CHECK (change IN
                    ('added', 'role_changed', 'credentials_reset', 'deactivated')),
    role        text,
    changed_by  text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_changes_by_user ON user_changes (user_name, changed_at);

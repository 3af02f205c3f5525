"""Server-side sessions in PostgreSQL. Every visitor has one, signed in or not, so that
every form, the sign-in form too, carries the CSRF token of the session it was served
in; signing in starts a new session (the old id is worth nothing after)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from grants.users import Role, User

COOKIE = "grants_session"
SIGNED_IN_FOR = timedelta(hours=8)
# Long enough to fill in the sign-in form; visitors who never sign in leave little.
ANONYMOUS_FOR = timedelta(hours=2)


@dataclass(frozen=True)
class WebSession:
    id: str
    user: User | None
    csrf_token: str
    expires_at: datetime


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def start(self, user: User | None) -> WebSession:
        session_id, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        lifetime = SIGNED_IN_FOR if user else ANONYMOUS_FOR
        with self._pool.connection() as conn:
            # Expired sessions go when new ones come: no job is needed to tidy them.
            conn.execute("DELETE FROM web_sessions WHERE expires_at < now()")
            row = conn.execute(
                "INSERT INTO web_sessions (id_hash, user_name, csrf_token, expires_at) "
                "VALUES (%s, %s, %s, now() + %s) RETURNING expires_at",
                (_hash(session_id), user.name if user else None, csrf_token, lifetime),
            ).fetchone()
        assert row is not None
        return WebSession(session_id, user, csrf_token, row[0])

    def find(self, session_id: str) -> WebSession | None:
        """The session, if it exists and has not expired."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT s.user_name, u.role, s.csrf_token, s.expires_at FROM web_sessions s "
                "LEFT JOIN users u ON u.name = s.user_name "
                "WHERE s.id_hash = %s AND s.expires_at > now()",
                (_hash(session_id),),
            ).fetchone()
        if row is None:
            return None
        user = User(row[0], Role(row[1])) if row[0] else None
        return WebSession(session_id, user, row[2], row[3])

    def end(self, session_id: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM web_sessions WHERE id_hash = %s", (_hash(session_id),))

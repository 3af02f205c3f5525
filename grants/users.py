"""People who use the tracker, their roles, the bearer tokens the API knows them by, and
the passwords they sign in to the web pages with (argon2 hashes only)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg_pool import ConnectionPool

PASSWORDS = PasswordHasher()
# Checked against when the name is unknown, so that an unknown name takes as long to
# refuse as a wrong password and the time of an answer does not tell names apart.
_NOBODY = PASSWORDS.hash("no one signs in with this")


class Role(StrEnum):
    PROGRAM_OFFICER = "program_officer"
    FINANCE_OFFICER = "finance_officer"
    STRATEGY_ANALYST = "strategy_analyst"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    name: str
    role: Role


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    database_url: str,
    name: str,
    role: Role,
    token: str | None = None,
    *,
    password: str | None = None,
) -> str:
    """Adds a user, or gives an existing one this role and a new token; returns the
    token, which is stored only as its hash. A token is made up unless one is given
    (the demo's users have known ones). A password, when given, lets the user sign in
    to the web pages; without one, an existing password is kept."""
    token = token or secrets.token_urlsafe(32)
    password_hash = PASSWORDS.hash(password) if password else None
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO users (name, role, token_hash, password_hash) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
            "token_hash = excluded.token_hash, "
            "password_hash = coalesce(excluded.password_hash, users.password_hash)",
            (name, role.value, _hash(token), password_hash),
        )
    return token


class Users:
    """Finds the user a token belongs to. Answers are kept for a short while, so a
    command does not wait on a database round trip to learn who sent it; a changed
    token takes effect within ``ttl`` seconds."""

    def __init__(self, pool: ConnectionPool, ttl: float = 30.0) -> None:
        self._pool = pool
        self._ttl = ttl
        self._seen: dict[str, tuple[float, User | None]] = {}

    def remembered(self, token: str) -> tuple[bool, User | None]:
        """Whether the token was looked up lately, and whose it was: no I/O."""
        seen = self._seen.get(_hash(token))
        if seen is not None and time.monotonic() - seen[0] < self._ttl:
            return True, seen[1]
        return False, None

    def by_token(self, token: str) -> User | None:
        known, user = self.remembered(token)
        if known:
            return user
        digest, now = _hash(token), time.monotonic()
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT name, role FROM users WHERE token_hash = %s", (digest,)
            ).fetchone()
        user = User(row[0], Role(row[1])) if row else None
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[digest] = (now, user)
        return user

    def by_password(self, name: str, password: str) -> User | None:
        """The user, if the password is theirs. Slow on purpose (argon2): call it from
        a thread."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT name, role, password_hash FROM users WHERE name = %s", (name,)
            ).fetchone()
        try:
            PASSWORDS.verify(row[2] if row and row[2] else _NOBODY, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(row[0], Role(row[1])) if row and row[2] else None

"""People who use the tracker, their roles, the bearer tokens the API knows them by, and
the passwords they sign in to the web pages with (argon2 hashes only)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg_pool import ConnectionPool

PASSWORDS = PasswordHasher()


@cache
def _nobody() -> str:
    """The hash checked against when the name is unknown, so that an unknown name takes
    as long to refuse as a wrong password and the time of an answer does not tell names
    apart. Made at the first sign-in, whoever signs in, rather than on import: every
    process imports this module (each server process, each rebuild's, each command
    line), and a hash takes argon2 a tenth of a second on purpose."""
    return PASSWORDS.hash("no one signs in with this")


class Role(StrEnum):
    PROGRAM_OFFICER = "program_officer"
    FINANCE_OFFICER = "finance_officer"
    STRATEGY_ANALYST = "strategy_analyst"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    name: str
    role: Role


@dataclass(frozen=True)
class Person:
    """A user as an admin sees them: their access and its last change."""

    name: str
    role: Role
    active: bool
    created_at: datetime
    last_change: str | None
    last_changed_by: str | None
    last_changed_at: datetime | None


@dataclass(frozen=True)
class Credentials:
    """What a person signs in with, shown once to the admin who made them."""

    name: str
    password: str
    token: str


class UserRefused(Exception):
    """An admin's change that cannot be made; ``field`` names the input at fault."""

    def __init__(self, key: str, field: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.field = field


# A name is how events record their actor: short, and the same however it is typed.
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")


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
            "token_hash = excluded.token_hash, deactivated_at = NULL, "
            "password_hash = coalesce(excluded.password_hash, users.password_hash)",
            (name, role.value, _hash(token), password_hash),
        )
    return token


class Users:
    """Finds the user a token belongs to. Answers are kept for a short while, so a
    command does not wait on a database round trip to learn who sent it: a token reset
    or a user deactivated in this process stops at once, in the others within ``ttl``
    seconds. Admins add, change and deactivate users here."""

    def __init__(self, pool: ConnectionPool, ttl: float = 2.0) -> None:
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
                "SELECT name, role FROM users WHERE token_hash = %s AND deactivated_at IS NULL",
                (digest,),
            ).fetchone()
        user = User(row[0], Role(row[1])) if row else None
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[digest] = (now, user)
        return user

    def by_password(self, name: str, password: str) -> User | None:
        """The user, if the password is theirs. Slow on purpose (argon2): call it from
        a thread."""
        nobody = _nobody()  # before the lookup: its first making times no name
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT name, role, password_hash FROM users "
                "WHERE name = %s AND deactivated_at IS NULL",
                (name,),
            ).fetchone()
        try:
            PASSWORDS.verify(row[2] if row and row[2] else nobody, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(row[0], Role(row[1])) if row and row[2] else None

    # What an admin does

    def people(self) -> list[Person]:
        with self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT u.name, u.role, u.deactivated_at IS NULL, u.created_at, "
                "c.change, c.changed_by, c.changed_at FROM users u "
                "LEFT JOIN LATERAL (SELECT change, changed_by, changed_at FROM user_changes "
                "  WHERE user_name = u.name ORDER BY changed_at DESC, id DESC LIMIT 1) c ON true "
                "ORDER BY u.deactivated_at IS NOT NULL, u.name"
            ).fetchall()
        return [Person(r[0], Role(r[1]), *r[2:]) for r in rows]

    def person(self, name: str) -> Person | None:
        return next((p for p in self.people() if p.name == name), None)

    def add(self, name: str, role: Role, *, by: str) -> Credentials:
        """A new user with a password and a token of their own, both made up here."""
        if not _NAME.fullmatch(name):
            raise UserRefused("users.name_rule", "name")
        credentials = _credentials(name)
        with self._pool.connection() as conn:
            added = conn.execute(
                "INSERT INTO users (name, role, token_hash, password_hash) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO NOTHING RETURNING name",
                (name, role.value, _hash(credentials.token), PASSWORDS.hash(credentials.password)),
            ).fetchone()
            if added is None:
                raise UserRefused("users.name_taken", "name")
            _note(conn, name, "added", role, by)
        return credentials

    def change_role(self, name: str, role: Role, *, by: str) -> None:
        with self._pool.connection() as conn:
            self._check_change(conn, name, by)
            conn.execute("UPDATE users SET role = %s WHERE name = %s", (role.value, name))
            _note(conn, name, "role_changed", role, by)
        self._seen.clear()

    def reset(self, name: str, *, by: str) -> Credentials:
        """New password and token (the old ones stop, and so do the user's sessions);
        a deactivated user is active again."""
        credentials = _credentials(name)
        with self._pool.connection() as conn:
            row = conn.execute(
                "UPDATE users SET token_hash = %s, password_hash = %s, deactivated_at = NULL "
                "WHERE name = %s RETURNING role",
                (_hash(credentials.token), PASSWORDS.hash(credentials.password), name),
            ).fetchone()
            if row is None:
                raise UserRefused("users.unknown", "name")
            conn.execute("DELETE FROM web_sessions WHERE user_name = %s", (name,))
            _note(conn, name, "credentials_reset", Role(row[0]), by)
        self._seen.clear()
        return credentials

    def deactivate(self, name: str, *, by: str) -> None:
        """The user's token, password and sessions stop at once; their name stays on
        what they recorded."""
        with self._pool.connection() as conn:
            self._check_change(conn, name, by)
            conn.execute(
                "UPDATE users SET deactivated_at = now(), password_hash = NULL, token_hash = %s "
                "WHERE name = %s",
                (_hash(secrets.token_urlsafe(32)), name),
            )
            conn.execute("DELETE FROM web_sessions WHERE user_name = %s", (name,))
            _note(conn, name, "deactivated", None, by)
        self._seen.clear()

    @staticmethod
    def _check_change(conn: psycopg.Connection[tuple[object, ...]], name: str, by: str) -> None:
        """An admin cannot change their own access: no one locks the last admin out."""
        if name == by:
            raise UserRefused("users.not_yourself")
        exists = conn.execute(
            "SELECT 1 FROM users WHERE name = %s AND deactivated_at IS NULL FOR UPDATE", (name,)
        ).fetchone()
        if exists is None:
            raise UserRefused("users.unknown", "name")


def _credentials(name: str) -> Credentials:
    return Credentials(name, secrets.token_urlsafe(12), secrets.token_urlsafe(32))


def _note(
    conn: psycopg.Connection[tuple[object, ...]],
    name: str,
    change: str,
    role: Role | None,
    by: str,
) -> None:
    conn.execute(
        "INSERT INTO user_changes (user_name, change, role, changed_by) VALUES (%s, %s, %s, %s)",
        (name, change, role.value if role else None, by),
    )

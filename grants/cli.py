"""The ``grants`` command."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from grants.bootstrap import database_url
from grants.migrations import migrate
from grants.settings import Settings
from grants.users import Role, add_user


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the API (and, embedded, everything else)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")

    commands.add_parser("migrate", help="apply the migrations not yet applied")

    users = commands.add_parser("users", help="manage users").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="add a user, or give one a new token; prints the token")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    url = database_url(settings)
    if args.command == "serve":
        return _serve(url, args.host, args.port, args.workers)
    if args.command == "migrate":
        applied = migrate(url)
        print(
            f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else "")
        )
        return 0
    if args.command == "users":
        migrate(url)
        token = add_user(url, args.name, Role(args.role))
        print(f"{args.name} is a {args.role}; their bearer token is:", file=sys.stderr)
        print(token)
        return 0
    return 2


def _serve(url: str, host: str, port: int, workers: int) -> int:
    import uvicorn

    migrate(url)
    # Server processes (and, with --workers, their children) find the database here,
    # the embedded one included, which this process keeps running.
    os.environ["DATABASE_URL"] = url
    print(f"Grants tracker on http://{host}:{port}/  (API docs: http://{host}:{port}/schema)")
    # uvicorn stops on SIGTERM, then raises it again with the handler it found: make that
    # an ordinary exit, so that the embedded PostgreSQL is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        "grants.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

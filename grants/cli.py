"""The ``grants`` command."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
from typing import Any

from grants.bootstrap import database_url
from grants.migrations import migrate
from grants.settings import Settings
from grants.users import Role, add_user

# ``--password`` given without a value: ask for it.
ASK = object()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="run the API; with nothing configured, the worker and the demo too"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")

    commands.add_parser("worker", help="run the job worker and the projections")
    commands.add_parser("migrate", help="apply the migrations not yet applied")
    commands.add_parser("demo", help="load the demo data (again adds nothing)")

    users = commands.add_parser("users", help="manage users").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="add a user, or give one a new token; prints the token")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument(
        "--password",
        nargs="?",
        const=ASK,
        help="a password to sign in to the web pages with; asked for when no value is given",
    )

    projections = commands.add_parser("projections", help="manage the views").add_subparsers(
        dest="projections_command", required=True
    )
    rebuild = projections.add_parser("rebuild", help="refill views from the whole store")
    rebuild.add_argument("name", nargs="?", help="one view (default: all)")

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    url = database_url(settings)
    migrate(url)
    if args.command == "serve":
        return _serve(settings, url, args.host, args.port, args.workers)
    if args.command == "worker":
        return _worker(settings, url)
    if args.command == "migrate":
        return 0
    if args.command == "demo":
        return _demo(settings, url)
    if args.command == "users":
        password = _ask_password() if args.password is ASK else args.password
        token = add_user(url, args.name, Role(args.role), password=password)
        print(f"{args.name} is a {args.role}; their bearer token is:", file=sys.stderr)
        print(token)
        return 0
    if args.command == "projections":
        return _rebuild(settings, url, args.name)
    return 2


def _ask_password() -> str:
    """Asks twice, without echo, so that the password stays out of the shell's history."""
    while True:
        password = getpass.getpass("Password: ")
        if password and password == getpass.getpass("Again: "):
            return password
        print("The passwords were empty or did not match; again.", file=sys.stderr)


def _serve(settings: Settings, url: str, host: str, port: int, workers: int) -> int:
    from grants.serving import serve

    # Server processes (and, with --workers, their children) find the database here,
    # the embedded one included, which this process keeps running.
    os.environ["DATABASE_URL"] = url
    worker = None
    if settings.database_url is None:
        # The embedded default is everything in one command: the demo, and the worker
        # beside the API. On real services the worker runs as a service of its own.
        _demo(settings, url)
        redis_url, _redis = _redis_url(settings)
        # The server processes queue jobs on the same (embedded) Redis.
        os.environ["REDIS_URL"] = redis_url
        worker = subprocess.Popen([sys.executable, "-m", "grants.cli", "worker"], env=os.environ)
    print(f"Grants tracker on http://{host}:{port}/  (API docs: http://{host}:{port}/schema)")
    print(f"Sign in to the web pages at http://{host}:{port}/sign-in")
    # uvicorn stops on SIGTERM, then raises it again with the handler it found: make that
    # an ordinary exit, so that the worker and the embedded servers stop on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return serve(host, port, workers)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)


def _redis_url(settings: Settings) -> tuple[str, Any]:
    """``REDIS_URL``, or an embedded Redis kept alive by the handle returned with it."""
    if settings.redis_url:
        return settings.redis_url, None
    from grants.queue import embedded_redis

    return embedded_redis(settings.data_dir)


def _worker(settings: Settings, url: str) -> int:
    from workers.main import run

    redis_url, _redis = _redis_url(settings)
    run(settings, url, redis_url)
    return 0


def _demo(settings: Settings, url: str) -> int:
    from grants import demo
    from grants.bootstrap import bootstrap

    services = bootstrap(url, settings, role="demo")
    try:
        position = demo.load(services.grants, url)
    finally:
        services.close()
    print(f"Demo loaded (store position {position}). Demo users, passwords and tokens:")
    for name, role in demo.USERS.items():
        print(
            f"  {name:7} {role.value:17} password {demo.password(name):13} "
            f"Authorization: Bearer {demo.token(name)}"
        )
    return 0


def _rebuild(settings: Settings, url: str, name: str | None) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from grants.projections import VIEWS
    from grants.projections.rebuild import rebuild_in_processes

    if name is not None and name not in VIEWS:
        print(f"no view is called {name!r}: {', '.join(VIEWS)}", file=sys.stderr)
        return 2
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("events  {task.fields[rate]:>9} events/s"),
        TimeRemainingColumn(),
    )
    chosen = [view_name for view_name in VIEWS if name in (None, view_name)]
    with Progress(*columns) as progress:
        task = progress.add_task(", ".join(chosen), total=None, rate="")

        def show(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
            speed = progress.tasks[task].speed
            progress.update(task, rate=f"{speed:,.0f}" if speed else "")

        rebuild_in_processes(url, settings, chosen, show)
    return 0


if __name__ == "__main__":
    sys.exit(main())

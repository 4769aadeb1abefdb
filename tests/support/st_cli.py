"""An independent schemathesis CLI run against a live server, as an integrator would run it.

    python -m tests.support.st_cli [--examples 100] [--seed 1] [--users admin,demo] [-- more st options]

Creates a fresh PostgreSQL database (FUZZ_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/st_cli),
migrates it and loads the demo data, serves the API with production settings under gunicorn (config/gunicorn.py)
beside the fake partner, takes a token for each demo login and runs `st run --checks all --mode all` with every
phase (examples, coverage, fuzzing, stateful) once per user. Prints each run's summary; exits non-zero when any
run found a failure. `make fuzz` runs it; it is not part of `make test` (100 examples take many minutes).
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
from psycopg2 import sql

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from bench.run import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/st_cli"
SESSION_ENDING = ["auth_logout", "auth_sessions_revoke"]


def _fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def _token(base: str, username: str, password: str) -> str:
    """An access token from the token endpoint; waits out its throttle (the fuzzing may have used it up)."""
    request = urllib.request.Request(
        f"{base}/api/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-Proto": "https"},
        method="POST",
    )
    for _ in range(10):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return str(json.load(response)["access"])
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(float(error.headers.get("Retry-After") or 10))
    raise SystemExit(f"no token for {username}: the token endpoint kept answering 429")


def _st_run(base: str, token: str, examples: int, seed: int, more: list[str], env: dict[str, str]) -> int:
    command = [
        str(VENV_BIN / "st"), "run", f"{base}/api/schema/",
        "--checks", "all", "--mode", "all",
        "--max-examples", str(examples), "--seed", str(seed),
        "--header", f"Authorization: Bearer {token}",
        "--header", "X-Forwarded-Proto: https",  # production settings redirect plain http to https
        "--request-timeout", "30", "--no-color",
        *more,
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", default="admin,demo", help="demo logins to run as (admin is the superuser)")
    parser.add_argument("st_args", nargs="*", help="more `st run` options, after --")
    args = parser.parse_args()

    database_url = os.environ.get("FUZZ_DATABASE_URL", DEFAULT_DB)
    _fresh_database(database_url)
    app_port, partner_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "dummymail://",
        "PARTNERAPI_URL": f"http://127.0.0.1:{partner_port}",
        "JWT_ACCESS_MINUTES": "600",  # a 100-example run outlasts the default 15 minutes
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(Path("/tmp") / f"st-cli-metrics-{app_port}"),
    }
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(exist_ok=True)
    python = str(VENV_BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    # as a deployment does: production settings serve hashed static names from the collected manifest
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server_log = open(Path("/tmp") / f"st-cli-server-{app_port}.log", "w")
    print(f"server output: {server_log.name}", flush=True)
    servers = [
        subprocess.Popen(
            [python, "manage.py", "run_fake_partner", "--port", str(partner_port)],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=server_log,
        ),
        subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "--bind",
                f"127.0.0.1:{app_port}",
                "--access-logfile",
                "/dev/null",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=server_log,
        ),
    ]
    base = f"http://127.0.0.1:{app_port}"
    failed = False
    try:
        _wait_for(f"{base}/health/")
        for username in args.users.split(","):
            # Logging out or revoking a session ends the caller's own session, after which every request is a 401:
            # those two run last, in a pass of their own with a fresh token.
            for name, scope in (
                (
                    "everything else",
                    ["--phases=examples,coverage,fuzzing,stateful"]
                    + [f"--exclude-operation-id={operation}" for operation in SESSION_ENDING],
                ),
                (  # alone, they link to nothing: no stateful phase
                    "the operations that end a session",
                    ["--phases=examples,coverage,fuzzing"]
                    + [f"--include-operation-id={operation}" for operation in SESSION_ENDING],
                ),
            ):
                token = _token(base, username, DEMO_PASSWORD)
                print(f"\n== st run as {username}, {name}: {args.examples} examples, seed {args.seed}", flush=True)
                failed |= _st_run(base, token, args.examples, args.seed, [*scope, *args.st_args], env) != 0
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

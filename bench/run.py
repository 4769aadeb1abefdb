"""Benchmark: load a dataset into PostgreSQL, serve the app with production settings under gunicorn,
drive each scenario with wrk from a separate process on loopback, and report requests/s, p50, p99,
queries per request and the ratio to a hand-written baseline. Before a scenario is measured, its baseline
must answer exactly the JSON data the endpoint does (sampled requests); a scenario whose endpoint fails or
whose baseline differs is reported and skipped, and the run exits non-zero.

    python -m bench.run [--scale 1] [--duration 10] [--connections 32] [--high-connections 64] [--reload]

Each scenario runs at --connections, then again at --high-connections (latency under more load than the
workers can serve at once). Writes bench/results.json and bench/latency.png (the latency histogram of each
scenario at both loads) and prints one line per scenario and load.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench"


@dataclass
class Scenario:
    name: str
    lines: list[str]  # "METHOD PATH [BODY]"
    token: str
    baseline_lines: list[str] = field(default_factory=list)
    content_type: str = "application/json"
    note: str = ""


@dataclass
class Result:
    scenario: str
    rps: float
    p50_ms: float
    p99_ms: float
    queries: int | None
    requests: int
    errors: int
    non2xx: int
    baseline_rps: float | None = None
    ratio: float | None = None
    note: str = ""
    connections: int = 32
    quantiles_us: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def settle(base_url: str, timeout: float = 60) -> None:
    """Wait until the server has drained what wrk left queued: the next run must not pay for this one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base_url}/health/", timeout=timeout) as response:
            response.read()
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def run_wrk(
    base_url: str,
    lines: list[str],
    token: str,
    content_type: str,
    args: argparse.Namespace,
    connections: int = 0,
    duration: float = 0,
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write("\n".join(lines) + "\n")
    env = {**os.environ, "WRK_PATHS": paths.name, "WRK_TOKEN": token, "WRK_CONTENT_TYPE": content_type}
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{connections or args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_paths.lua"),
        base_url,
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    os.unlink(paths.name)
    settle(base_url)
    line = next(x for x in output.splitlines() if x.startswith("JSON "))
    return json.loads(line[5:])


def measure(base_url: str, lines: list[str], scenario: Scenario, args: argparse.Namespace, connections: int) -> dict:
    """wrk's figures for `lines` at `connections`, after `--warmup` seconds of the same load that are not counted."""
    if args.warmup:
        run_wrk(base_url, lines, scenario.token, scenario.content_type, args, connections, args.warmup)
    return run_wrk(base_url, lines, scenario.token, scenario.content_type, args, connections)


def count_queries(lines: list[str], token: str, content_type: str) -> int:
    """Queries for one request of the scenario, measured in-process with Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    method, path, *body = lines[0].replace("{n}", str(10**12 + secrets.randbelow(10**12))).split(" ", 2)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    # steady state, as under load: the session copied by this process and its last-seen stamp fresh
    client.get("/api/auth/me/")
    if method == "GET":
        client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.generic(method, path, body[0] if body else "", content_type=content_type)
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.content[:300]!r}")
    return len(captured)


#: Request pairs (endpoint, baseline) compared per scenario, spread over its lines.
BASELINE_SAMPLES = 10


def _comparable(data: object) -> str:
    """The JSON data in a canonical text (so 1 and 1.0, or 1 and true, differ). A page's next/previous links
    name the endpoint's or the baseline's own path: only their query strings are compared."""
    if isinstance(data, dict) and "results" in data and "next" in data:
        from urllib.parse import parse_qsl, urlsplit

        data = {
            **data,
            **{
                key: sorted(parse_qsl(urlsplit(data[key]).query)) if data.get(key) else None
                for key in ("next", "previous")
            },
        }
    return json.dumps(data, sort_keys=True)


def _first_difference(a: object, b: object, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in the {'endpoint' if key in a else 'baseline'}"
            if _comparable(a[key]) != _comparable(b[key]):
                return _first_difference(a[key], b[key], f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items from the endpoint, {len(b)} from the baseline"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if _comparable(x) != _comparable(y):
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where or 'body'}: endpoint {json.dumps(a)[:200]}, baseline {json.dumps(b)[:200]}"


def check_baseline(scenario: Scenario) -> None:
    """The baseline answers the same JSON data as the endpoint, for a sample of the scenario's requests."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {scenario.token}")
    pairs = list(zip(scenario.lines, scenario.baseline_lines, strict=False))
    step = max(1, len(pairs) // BASELINE_SAMPLES)
    for app_line, baseline_line in pairs[::step][:BASELINE_SAMPLES]:
        answers = []
        for line in (app_line, baseline_line):
            method, path = line.split(" ", 2)[:2]
            response = client.generic(method, path)
            if response.status_code != 200:
                raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.content[:300]!r}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            answers.append(json.loads(body))
        app, baseline = answers
        if _comparable(app) != _comparable(baseline):
            raise RuntimeError(
                f"baseline differs from the endpoint: {app_line} vs {baseline_line}: "
                f"{_first_difference(_comparable_data(app), _comparable_data(baseline))}"
            )


def _comparable_data(data: object) -> object:
    return json.loads(_comparable(data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="dataset size factor (1 = 200k orders, 1M responses)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of the same load before each scenario and baseline is measured, not counted (the workers' "
        "first requests: connections, copies of the session, PostgreSQL's buffers)",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--high-connections", type=int, default=64, help="the second load (0: none)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1, help="gunicorn workers")
    parser.add_argument(
        "--worker-threads", type=int, default=1, help="threads per gunicorn worker (more than 1: the gthread worker)"
    )
    parser.add_argument("--reload", action="store_true", help="reload the dataset even if it is already there")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk (make bench does this)", file=sys.stderr)
        return 2

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(database_url)
    partner_port, app_port = free_port(), free_port()
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH_BASELINES": "true",
        # a shared cache, as production runs several processes: the session check is served from it
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1"),
        "LOG_LEVEL": "WARNING",
        "PARTNERAPI_URL": f"http://127.0.0.1:{partner_port}",
        # the rates are per client and every wrk connection is one client: keep them out of the way
        "THROTTLE_AUTH": "1000000/min",
    }
    os.environ.update(server_env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import load, scenarios

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sizes = load.Sizes.at(args.scale)
    if args.reload or load.loaded_sizes() != sizes:
        print(f"Loading dataset at scale {args.scale}:")
        load.load(sizes)
    else:
        print(f"Dataset at scale {args.scale} already loaded.")

    selected = scenarios.build()
    if args.only:
        wanted = set(args.only.split(","))
        selected = [s for s in selected if s.name in wanted]

    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_fake_partner", "--port", str(partner_port)],
            cwd=ROOT,
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{app_port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.worker_threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=server_env,
        ),
    ]
    results: list[Result] = []
    failures: list[str] = []
    try:
        base_url = f"http://127.0.0.1:{app_port}"
        wait_http(f"{base_url}/health/")
        for scenario in selected:
            try:
                queries = count_queries(scenario.lines, scenario.token, scenario.content_type)
                if scenario.baseline_lines:
                    check_baseline(scenario)
            except RuntimeError as exc:
                failures.append(f"{scenario.name}: {exc}")
                print(f"{scenario.name:<26}FAILED, not measured: {exc}", flush=True)
                continue
            for connections in (args.connections, args.high_connections):
                if not connections:
                    continue
                measured = measure(base_url, scenario.lines, scenario, args, connections)
                result = Result(
                    scenario=scenario.name,
                    rps=measured["requests"] / (measured["duration_us"] / 1e6),
                    p50_ms=measured["p50_us"] / 1000,
                    p99_ms=measured["p99_us"] / 1000,
                    queries=queries,
                    requests=measured["requests"],
                    errors=measured["errors"],
                    non2xx=measured["non2xx"],
                    note=scenario.note,
                    connections=connections,
                    quantiles_us=measured.get("quantiles_us", []),
                )
                if scenario.baseline_lines:  # the baseline under the same load, right after
                    baseline = measure(base_url, scenario.baseline_lines, scenario, args, connections)
                    result.baseline_rps = baseline["requests"] / (baseline["duration_us"] / 1e6)
                    result.ratio = result.rps / result.baseline_rps if result.baseline_rps else None
                results.append(result)
                print(format_line(result), flush=True)
    finally:
        for process in reversed(processes):  # the app first, then the fake partner it calls
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    report = {
        "scale": args.scale,
        "sizes": asdict(sizes),
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "worker_threads": args.worker_threads,
        "cores": os.cpu_count(),
        "results": [asdict(r) for r in results],
        "failures": failures,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(format_table(results))
    if results:
        from bench.histogram import draw

        picture = draw(results, ROOT / "bench" / "latency.png")
        print(f"\nLatency histograms: {picture.relative_to(ROOT)}")
    if failures:
        print("\nNot measured:", *failures, sep="\n  ")
        return 1
    return 0


HEADER = (
    f"{'scenario':<26}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'baseline':>10}{'ratio':>7}"
    "  errors"
)


def format_line(r: Result) -> str:
    baseline = f"{r.baseline_rps:>10.0f}" if r.baseline_rps else f"{'-':>10}"
    ratio = f"{r.ratio:>7.2f}" if r.ratio else f"{'-':>7}"
    queries = f"{r.queries:>9}" if r.queries is not None else f"{'-':>9}"
    return (
        f"{r.scenario:<26}{r.connections:>6}{r.rps:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{queries}{baseline}{ratio}"
        f"  {r.errors + r.non2xx}"
    )


def format_table(results: list[Result]) -> str:
    return "\n".join([HEADER, *(format_line(r) for r in results)])


if __name__ == "__main__":
    sys.exit(main())

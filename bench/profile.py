"""Where one request's time goes: cProfile over warm in-process requests of a scenario (Django's test client,
production settings, the bench database), with the share of the session check and of the other phases.

    python -m bench.profile [--scenario order_detail] [--requests 2000] [--top 25]

Run `python -m bench.run` once first: it loads the dataset this reads.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from typing import Any

from bench.run import DEFAULT_DB, ROOT

#: phases of a request, by the function whose cumulative time is the phase's
PHASES = {
    "session check (token and session)": ("rest_framework_simplejwt/authentication.py", "authenticate"),
    "JWT decode (PyJWT)": ("rest_framework_simplejwt/authentication.py", "get_validated_token"),
    "session and user (cache or query)": ("accounts/authentication.py", "get_user"),
    "view's queries and data": ("reviews/queries.py", "order_detail_data"),
    "JSON rendering": ("rest_framework/response.py", "rendered_content"),
}


def measure_session_check(client: Any, paths: list[str], requests: int) -> None:
    """The session check's share of a request, timed around it without a profiler (whose per-call overhead
    would inflate a check made of few calls less than a view made of many): wall and CPU time."""
    from accounts import middleware
    from accounts.authentication import SessionJWTAuthentication

    spent = {"wall": 0.0, "cpu": 0.0}
    authenticate, settle = SessionJWTAuthentication.authenticate, middleware.settle

    def timed(function: Any) -> Any:
        def run(*args: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args)
            finally:
                spent["wall"] += time.perf_counter() - wall
                spent["cpu"] += time.process_time() - cpu

        return run

    # both halves of the check: the token and the cache's question, and (for a read that overlaps them with its
    # own queries) the middleware's reading of the answer
    SessionJWTAuthentication.authenticate = timed(authenticate)  # type: ignore[method-assign]
    middleware.settle = timed(settle)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(requests):
            client.get(paths[i % len(paths)])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        SessionJWTAuthentication.authenticate = authenticate  # type: ignore[method-assign]
        middleware.settle = settle
    print(
        f"{requests} requests, unprofiled: {wall / requests * 1000:.2f} ms wall, "
        f"{cpu / requests * 1000:.2f} ms CPU each"
    )
    print(
        f"  session check: {spent['wall'] / wall * 100:.1f}% of wall time ({spent['wall'] / requests * 1000:.3f} ms), "
        f"{spent['cpu'] / cpu * 100:.1f}% of CPU time ({spent['cpu'] / requests * 1000:.3f} ms)"
    )
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="order_detail")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: this process's CPU time (what a request costs the server); wall: elapsed, waits on the "
        "database and the cache included (noisy on a shared machine)",
    )
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1"),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from bench import scenarios

    scenario = next(s for s in scenarios.build() if s.name == args.scenario)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scenario.token}")
    paths = [line.split(" ", 2)[1] for line in scenario.lines]
    for path in paths[:200]:  # warm: connections, caches, the session's last-seen stamp
        client.get(path)
    measure_session_check(client, paths, args.requests)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    profiler = cProfile.Profile(clock)
    started = clock()
    profiler.enable()
    for i in range(args.requests):
        client.get(paths[i % len(paths)])
    profiler.disable()
    total = clock() - started  # the profiled loop (profiler overhead included, as in every phase)
    stats = pstats.Stats(profiler)
    print(
        f"{args.requests} requests of {args.scenario}: {total / args.requests * 1000:.2f} ms of {args.clock} time each"
    )
    for phase, (file_end, function) in PHASES.items():
        cumulative = sum(
            ct
            for (filename, _, name), (_, _, _, ct, _) in stats.stats.items()  # type: ignore[attr-defined]
            if name == function and filename.endswith(file_end)
        )
        print(f"  {phase:<40}{cumulative / total * 100:6.1f}%  {cumulative / args.requests * 1000:6.3f} ms")
    print()
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

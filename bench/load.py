"""Many people at once: locust drives N signed-in users without think time against gunicorn
(several workers and threads, as in production) on the university-scale dataset, on loopback.

    .venv/bin/python bench/load.py --quick                 # the small dataset, SQLite
    .venv/bin/python bench/load.py --engine postgres       # full dataset, PostgreSQL (DATABASE_URL)

Each user signs in as a bench person from an address of its own behind the trusted proxy (the
server trusts 127.0.0.1 as its proxy, so sign-in limits count each user apart), then asks for the
everyday pages in bench/locustfile.py; the floor is one of them, so its times come from the same
run. Printed: requests a second, p50/p95/p99 per page and in all, and errors. The run is bounded
in users, time and address (127.0.0.1 only) and stops by itself. locust lives in .venv-bench
(requirements/bench.txt), made the first time.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from pathlib import Path

from run import (
    HOST,
    ROOT,
    VENV,
    BenchError,
    Deadline,
    Engine,
    base_env,
    engines,
    free_port,
    manage,
    seed,
    stop,
    wait_until_up,
)

BENCH_VENV = ROOT / ".venv-bench"
LOCUST = BENCH_VENV / "bin" / "locust"


def ensure_locust() -> None:
    if LOCUST.exists():
        return
    print("  making .venv-bench with locust (requirements/bench.txt)")
    venv.create(BENCH_VENV, with_pip=True)
    subprocess.run([str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "-r", str(ROOT / "requirements" / "bench.txt")], check=True)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int, threads: int,
             deadline: Deadline) -> Iterator[int]:
    port = free_port()
    command = [str(VENV / "gunicorn"), "hms.wsgi", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--timeout", "120",
               "--error-logfile", str(log), "--log-level", "warning"]
    with log.with_suffix(".out").open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_up(port, process, deadline.left(60))
            yield port
        finally:
            stop(process)


def drive(port: int, targets: dict[str, object], args: argparse.Namespace, workdir: Path) -> Path:
    """locust, headless, for `args.seconds`; returns the prefix of its CSV statistics."""
    prefix = workdir / "load"
    env = {**os.environ, "HMS_LOAD_TARGETS": json.dumps(targets)}
    subprocess.run([str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "--host", f"http://{HOST}:{port}", "--users", str(args.users),
                    "--spawn-rate", str(args.users), "--run-time", f"{args.seconds}s",
                    "--stop-timeout", "10", "--csv", str(prefix), "--only-summary",
                    "--loglevel", "WARNING"], env=env, check=False,
                   timeout=args.seconds + 120)
    return prefix


def report(prefix: Path, seconds: int) -> dict[str, dict[str, float]]:
    rows = list(csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()))
    table: dict[str, dict[str, float]] = {}
    print(f"\n{'page':<28}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        figures = {"requests": float(row["Request Count"]), "errors": float(row["Failure Count"]),
                   "rps": float(row["Requests/s"]), "p50": float(row["50%"] or 0),
                   "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0)}
        table[name] = figures
        print(f"{name:<28}{figures['requests']:>9.0f}{figures['errors']:>8.0f}{figures['rps']:>8.1f}"
              f"{figures['p50']:>9.0f}{figures['p95']:>9.0f}{figures['p99']:>9.0f}")
    print(f"load average after {seconds} s: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cpus")
    return table


def load_engine(engine: Engine, args: argparse.Namespace, deadline: Deadline) -> None:
    tier = "quick" if args.quick else "full"
    print(f"== {engine.name}: {tier} dataset, {args.users} users, {args.seconds} s, "
          f"gunicorn {args.workers} workers × {args.threads} threads")
    try:
        env = base_env(engine.create(tier), [*args.env, f"HMS_TRUSTED_PROXIES={HOST}"])
        seeded = seed(env, tier, deadline)
        manage(env, deadline, "collectstatic", "--noinput", "-v0", cap=300)
        log = engine.workdir / "gunicorn-load.log"
        with gunicorn(env, log, args.workers, args.threads, deadline) as port:
            prefix = drive(port, seeded["targets"], args, engine.workdir)
        report(prefix, args.seconds)
    finally:
        engine.drop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the small dataset")
    parser.add_argument("--engine", choices=("all", "sqlite", "postgres"), default="all")
    parser.add_argument("--users", type=int, default=30, help="at once, no think time (default 30)")
    parser.add_argument("--seconds", type=int, default=60, help="how long they ask (default 60)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--env", action="append", default=[], metavar="HMS_NAME=VALUE")
    parser.add_argument("--time-limit", type=float, default=2400)
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 5 <= args.seconds <= 600:
        parser.error("1–200 users for 5–600 seconds")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    deadline = Deadline(args.time_limit)
    try:
        ensure_locust()
        with tempfile.TemporaryDirectory(prefix="hms-load-") as tmp:
            for engine in engines(args.engine, Path(tmp)):
                load_engine(engine, args, deadline)
    except BenchError as error:
        print(f"load test failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Page timings of HMS on the university-scale dataset, as a ratio to the framework floor.

    .venv/bin/python bench/run.py               # full dataset; SQLite, and PostgreSQL if DATABASE_URL is set
    .venv/bin/python bench/run.py --quick       # smoke run on the small dataset
    .venv/bin/python bench/run.py --engine postgres

For each engine: a fresh database (an SQLite file in a temporary HMS_DATA_DIR, or a PostgreSQL
database named hms_bench that is dropped afterwards), migrate, seed_scale, collectstatic, gunicorn with
one worker on 127.0.0.1, sign in through the allauth form, then N sequential requests per page after a
warm-up, timed client-side on loopback. One page is a POST: the risk row save of the in-place
editor, sent as its JavaScript sends it. Query counts come from the same pages run in-process through
Django's test Client against the same database, on this dataset and on the next smaller one (to show
that they do not grow with the data). Results go to bench/results/<engine>-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.client
import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PYTHON = str(VENV / "python")
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PASSWORD = "demo"  # noqa: S105 - the documented password of the fictional bench users
BENCH_DB = "hms_bench"
QUERY_BUDGET = 15
P95_BUDGET_MS = 100.0

LEADER, EMPLOYEE = "bench_faculty_leader", "bench_employee"


@dataclass(frozen=True)
class Page:
    """A page to time: its URL has placeholders from hms.core.seeding.bench_targets. A POST sends the
    form that bench/pagequeries.py's FORMS names, as JSON-speaking JavaScript would."""

    name: str
    url: str
    user: str
    method: str = "GET"
    form: str = ""
    served: bool = True  # False: too slow to request 55 times; measured in-process only


# The floor comes first. The risk pages: the bench draft (200 rows at full size) in the editor
# (its viewer may edit it), its exports and a row save; the faculty's list and heat map over its
# 5,000 assessments. The deviation pages: the faculty's case list and statistics over its 20,000
# cases. The governance pages: the bench department's meetings, its next leader–VO meeting (whose
# agenda is suggested from five modules' records), its leader's calendar feed, its goals and
# delegation register, and its training gaps (with its sections: every person's requirements),
# and the faculty's with all its sub-units. The 19 points: the department's overview (this year and
# last, every rule over one unit), the faculty's and the university's matrix (every rule over the
# subtree, this year and last).
# Last, in-process only (each once, not 55 times): the documents the task worker makes, timed as
# the worker makes them (bench/pagequeries.py): the bench draft's PDF (200 rows at full size), the
# action plan in Excel for the faculty (13,000 measures) and the whole university (100,000), the
# department's plan with its sections as a PDF, the faculty's training gaps with its sub-units in
# Excel; and the faculty's and the university's deviation
# statistics as Excel and PDF, made in the request.
PAGES = [
    Page("floor", "/floor/", LEADER),
    Page("faculty action plan", "/measures/units/{faculty_pk}/", LEADER),
    Page("my measures", "/measures/mine/", EMPLOYEE),
    Page("org tree", "/org/", LEADER),
    Page("unit page", "/org/units/{department_pk}/", LEADER),
    Page("assessment editor", "/risk/{draft_pk}/", LEADER),
    Page("assessment xlsx", "/risk/{draft_pk}/assessment.xlsx", LEADER),
    Page("row save (POST)", "/risk/rows/{row_pk}/", LEADER, "POST", "risk_row"),
    Page("faculty risk list", "/risk/units/{faculty_pk}/", LEADER),
    Page("faculty heat map", "/risk/units/{faculty_pk}/heatmap/", LEADER),
    Page("faculty deviation list", "/deviations/units/{faculty_pk}/", LEADER),
    Page("faculty deviation statistics", "/deviations/units/{faculty_pk}/statistics/", LEADER),
    Page("department meetings", "/meetings/units/{department_pk}/", LEADER),
    Page("meeting with suggestions", "/meetings/{meeting_pk}/", LEADER),
    Page("calendar feed", "/meetings/calendar/{feed_token}.ics", LEADER),
    Page("department goals", "/governance/units/{department_pk}/goals/", LEADER),
    Page("delegation register", "/governance/units/{department_pk}/delegations/", LEADER),
    Page("delegation register pdf", "/governance/units/{department_pk}/delegations.pdf", LEADER),
    Page("training gaps", "/competence/units/{department_pk}/", LEADER),
    Page("training gaps with sub-units", "/competence/units/{department_pk}/?subtree=on", LEADER),
    Page("faculty training gaps", "/competence/units/{faculty_pk}/?subtree=on", LEADER),
    Page("unit points", "/points/units/{department_pk}/", LEADER),
    Page("faculty points matrix", "/points/units/{faculty_pk}/matrix/", LEADER),
    Page("university points matrix", "/points/units/{university_pk}/matrix/", "{university_leader}"),
    Page("assessment pdf", "/risk/{draft_pk}/assessment.pdf", LEADER, served=False),
    Page("faculty plan xlsx", "/measures/units/{faculty_pk}/plan.xlsx", LEADER, served=False),
    Page("university plan xlsx", "/measures/units/{university_pk}/plan.xlsx", "{university_leader}",
         served=False),
    Page("department plan pdf", "/measures/units/{department_pk}/plan.pdf", LEADER, served=False),
    Page("faculty training gaps xlsx", "/competence/units/{faculty_pk}/gaps.xlsx?subtree=on", LEADER,
         served=False),
    Page("faculty statistics xlsx", "/deviations/units/{faculty_pk}/statistics.xlsx", LEADER,
         served=False),
    Page("faculty statistics pdf", "/deviations/units/{faculty_pk}/statistics.pdf", LEADER,
         served=False),
    Page("university statistics pdf", "/deviations/units/{university_pk}/statistics.pdf",
         "{university_leader}", served=False),
]
SERVED = [page for page in PAGES if page.served]
NAME_WIDTH = max(len(page.name) for page in PAGES) + 2  # the first column of the printed tables
# Each tier is compared with the next smaller one for query growth.
SMALLER = {"full": "quick", "quick": "tiny"}
SIZES = {"tiny": "20 units, 500 people, 1,000 measures; 70 assessments (50 in the faculty), "
                 "a 20-row draft; 250 deviations (200 in the faculty)",
         "quick": "60 units, 5,000 people, 10,000 measures; 700 assessments (500 in the faculty), "
                  "a 50-row draft; 2,400 deviations (2,000 in the faculty)",
         "full": "600 units, 50,000 people, 100,000 measures; 7,000 assessments (5,000 in the "
                 "faculty), a 200-row draft; 24,000 deviations (20,000 in the faculty)"}


class BenchError(Exception):
    pass


@dataclass
class Deadline:
    """The whole run is bounded: every step gets at most what is left."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def left(self, cap: float) -> float:
        remaining = self.seconds - (time.monotonic() - self.started)
        if remaining <= 1:
            raise BenchError("time limit reached")
        return min(cap, remaining)


# --- Engines -------------------------------------------------------------------------------------


class Engine:
    name = ""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir

    def create(self, tier: str) -> dict[str, str]:
        """A fresh, empty database for `tier`; returns the environment that points at it."""
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError

    def size(self) -> int:
        raise NotImplementedError

    def version(self) -> str:
        raise NotImplementedError


class SqliteEngine(Engine):
    name = "sqlite"

    def create(self, tier: str) -> dict[str, str]:
        self.data_dir = self.workdir / tier
        self.data_dir.mkdir(parents=True)
        return {"HMS_DATA_DIR": str(self.data_dir)}

    def drop(self) -> None:
        pass  # the temporary directory goes at the end

    def size(self) -> int:
        path = self.data_dir / "hms.sqlite3"
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in self.data_dir.glob("hms.sqlite3*"))

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"


class PostgresEngine(Engine):
    name = "postgresql"

    def __init__(self, workdir: Path, admin_url: str) -> None:
        super().__init__(workdir)
        self.admin_url = admin_url
        parts = urlsplit(admin_url)
        if parts.hostname not in (HOST, "localhost"):
            raise BenchError("DATABASE_URL must point at 127.0.0.1: the bench stays on loopback")
        self.url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
        self.created = False

    def _admin(self, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10) as db:
            cursor = db.execute(sql)  # type: ignore[arg-type]  # our own constant SQL
            return cursor.fetchall() if cursor.description else []

    def create(self, tier: str) -> dict[str, str]:
        self.data_dir = self.workdir / tier
        self.data_dir.mkdir(parents=True)
        self._admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{BENCH_DB}"')
        self.created = True
        return {"HMS_DATA_DIR": str(self.data_dir), "DATABASE_URL": self.url}

    def drop(self) -> None:
        if self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            self.created = False

    def size(self) -> int:
        return int(self._admin(f"SELECT pg_database_size('{BENCH_DB}')")[0][0])

    def version(self) -> str:
        return f"PostgreSQL {self._admin('SHOW server_version')[0][0]}"


# --- Processes -----------------------------------------------------------------------------------


def base_env(extra: dict[str, str], settings: list[str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HMS_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "hms.settings", "HMS_SECRET_KEY": secrets.token_urlsafe(50),
        "HMS_SECURE_COOKIES": "0", "HMS_ALLOWED_HOSTS": HOST, "HMS_DEBUG": "0", "HMS_DEMO": "0",
        "HMS_LOG_LEVEL": "WARNING", "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(dict(item.split("=", 1) for item in settings or []))
    env.update(extra)
    return env


def manage(env: dict[str, str], deadline: Deadline, *args: str, cap: float = 600,
           stdin: str | None = None, script: str = "manage.py") -> str:
    try:
        done = subprocess.run([PYTHON, script, *args], cwd=ROOT, env=env, input=stdin,
                              capture_output=True, text=True, timeout=deadline.left(cap), check=False)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{script} {' '.join(args)}: timed out after {error.timeout:.0f} s") from None
    if done.returncode != 0:
        raise BenchError(f"{script} {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """End gunicorn (and its worker): its own process group, started by us."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, deadline: Deadline) -> Iterator[int]:
    port = free_port()
    command = [str(VENV / "gunicorn"), "hms.wsgi", "--bind", f"{HOST}:{port}", "--workers", "1",
               "--timeout", "120", "--error-logfile", str(log), "--log-level", "warning"]
    output = log.with_suffix(".out").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(port, process, deadline.left(60))
        yield port
    except BenchError as error:
        logs = [log, log.with_suffix(".out")]
        tail = "".join(p.read_text(errors="replace")[-4000:] for p in logs if p.exists())
        raise BenchError(f"{error}\n--- gunicorn log ---\n{tail}") from None
    finally:
        stop(process)
        output.close()


def wait_until_up(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode})")
        with contextlib.suppress(OSError):
            if Browser(port).get("/health/").status == 200:
                return
        time.sleep(0.2)
    raise BenchError("gunicorn did not answer /health/ in time")


# --- HTTP ------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes
    location: str
    ms: float


@dataclass
class Browser:
    """A minimal cookie-keeping client: one fresh connection per request (gunicorn's sync worker
    closes it anyway), timed from sending the request to having read the whole body."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> Response:
        all_headers = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=all_headers)
            reply = connection.getresponse()
            content = reply.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return Response(reply.status, content, reply.headers.get("Location", ""), elapsed)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str:
        """The token a page's forms carry (what the editor's JavaScript sends as X-CSRFToken)."""
        page = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or not match:
            raise BenchError(f"no CSRF token in {path} ({page.status})")
        return match.group(1).decode()

    def login(self, username: str) -> None:
        form = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        if form.status != 200 or not match:
            raise BenchError(f"no login form at /accounts/login/ ({form.status})")
        body = urlencode({"login": username, "password": PASSWORD,
                          "csrfmiddlewaretoken": match.group(1).decode()})
        done = self.request("POST", "/accounts/login/", body,
                            {"Content-Type": "application/x-www-form-urlencoded"})
        if done.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"signing in as {username} failed ({done.status})")


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def fetch(browser: Browser, url: str) -> float:
    response = browser.get(url)
    if response.status != 200:
        raise BenchError(f"GET {url}: {response.status} {response.location}")
    return response.ms


@dataclass
class FormPoster:
    """Saves a form as the in-place editor does (urlencoded, Accept: application/json, the page's
    CSRF token in X-CSRFToken), in turns of its variants, each time with the version the previous
    answer gave. `post` comes from bench/pagequeries.py, which saved it last."""

    browser: Browser
    url: str
    post: dict[str, Any]
    token: str
    turn: int = 0

    def __call__(self) -> float:
        post = self.post
        body = {**post["variants"][self.turn % len(post["variants"])],
                post["version_field"]: str(post["version"])}
        response = self.browser.request("POST", self.url, urlencode(body), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
            "X-CSRFToken": self.token})
        if response.status != 200:
            raise BenchError(f"POST {self.url}: {response.status} {response.body[:300]!r}")
        post["version"] = json.loads(response.body)["version"]
        self.turn += 1
        return response.ms


# --- One engine ------------------------------------------------------------------------------------


def page_specs() -> list[dict[str, str]]:
    return [{"name": page.name, "url": page.url, "user": page.user, "method": page.method,
             "form": page.form} for page in PAGES]


def seed(env: dict[str, str], tier: str, deadline: Deadline) -> dict[str, Any]:
    manage(env, deadline, "migrate", "--noinput", "-v0", cap=300)
    manage(env, deadline, "createcachetable", cap=120)  # a no-op unless a database cache is set
    started = time.perf_counter()
    output = manage(env, deadline, "seed_scale", "--tier", tier, "--json", cap=900)
    wall = time.perf_counter() - started
    lines = output.strip().splitlines()
    for line in lines[:-1]:
        print(f"    {line}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["wall_seconds"] = wall
    return result


def count_queries(env: dict[str, str], deadline: Deadline) -> dict[str, Any]:
    output = manage(env, deadline, script="bench/pagequeries.py", cap=300,
                    stdin=json.dumps(page_specs()))
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    for name, page in result["pages"].items():
        if page["status"] != 200:
            raise BenchError(f"{name} ({page['url']}) answered {page['status']} in-process")
    return result


def smaller_run(engine: Engine, tier: str, args: argparse.Namespace,
                deadline: Deadline) -> dict[str, Any]:
    """The next smaller dataset on the same engine, for query counts only."""
    print(f"  [{engine.name}] {tier} dataset for query growth ({SIZES[tier]})")
    try:
        env = base_env(engine.create(tier), args.env)
        seeded = seed(env, tier, deadline)
        counted = count_queries(env, deadline)
    finally:
        engine.drop()
    return {"tier": tier, "seed": seeded, "queries": counted}


def timed_run(engine: Engine, tier: str, args: argparse.Namespace,
              deadline: Deadline) -> dict[str, Any]:
    print(f"  [{engine.name}] {tier} dataset ({SIZES[tier]})")
    try:
        env = base_env(engine.create(tier), args.env)
        seeded = seed(env, tier, deadline)
        size = engine.size()
        manage(env, deadline, "collectstatic", "--noinput", "-v0", cap=300)
        counted = count_queries(env, deadline)
        with gunicorn(env, engine.workdir / f"gunicorn-{tier}.log", deadline) as port:
            timings = time_pages(port, counted["pages"], args, deadline)
    finally:
        engine.drop()
    return {"tier": tier, "seed": seeded, "db_size_bytes": size, "queries": counted,
            "timings": timings}


def time_pages(port: int, counted: dict[str, Any], args: argparse.Namespace,
               deadline: Deadline) -> dict[str, list[float]]:
    """Warm every page up, then request the pages in turns (floor, plan, …, floor, plan, …), so a
    burst of load from elsewhere on the machine hits all of them alike and the ratios stay fair."""
    browsers: dict[str, Browser] = {}
    for page in SERVED:
        username = counted[page.name]["user"]  # a placeholder such as {university_leader} filled in
        if username not in browsers:
            browsers[username] = Browser(port)
            browsers[username].login(username)
    visits: list[tuple[str, Callable[[], float]]] = []
    for page in SERVED:
        browser, url = browsers[counted[page.name]["user"]], counted[page.name]["url"]
        if page.method == "POST":
            token = browser.csrf_token(counted["assessment editor"]["url"])
            visits.append((page.name, FormPoster(browser, url, counted[page.name]["post"], token)))
        else:
            visits.append((page.name, functools.partial(fetch, browser, url)))
    for _name, visit in visits:
        for _ in range(args.warmup):
            visit()
    timings: dict[str, list[float]] = {name: [] for name, _visit in visits}
    for _ in range(args.requests):
        deadline.left(1)
        for name, visit in visits:
            timings[name].append(visit())
    for name, samples in timings.items():
        print(f"    timed {name}: median {statistics.median(samples):.1f} ms")
    return timings


# --- Report ----------------------------------------------------------------------------------------


def summarise(run: dict[str, Any], small: dict[str, Any]) -> list[dict[str, Any]]:
    floor = statistics.median(run["timings"]["floor"])
    rows = []
    for spec in PAGES:
        name = spec.name
        page = run["queries"]["pages"][name]
        row = {
            "page": name, "url": page["url"], "user": page["user"], "method": spec.method,
            "served": spec.served, "in_process_seconds": round(page["seconds"], 3),
            "queries": page["queries"], "queries_smaller_dataset": small["queries"]["pages"][name]["queries"],
            "bytes": page["bytes"], "python_peak_bytes": page["python_peak_bytes"],
            "rss_peak_bytes": page["rss_peak_bytes"], "sql": page["sql"],
            "document": page.get("document", False),
        }
        if spec.served:
            samples = run["timings"][name]
            median = statistics.median(samples)
            row.update({
                "median_ms": round(median, 2), "p95_ms": round(percentile(samples, 0.95), 2),
                "ratio_to_floor": round(median / floor, 2),
                "samples_ms": [round(s, 3) for s in samples]})
        rows.append(row)
    return rows


def print_table(engine: Engine, tier: str, rows: list[dict[str, Any]], small_tier: str,
                args: argparse.Namespace) -> None:
    settings = f" · {' '.join(args.env)}" if args.env else ""
    print(f"\n{engine.version()} · {tier} dataset ({SIZES[tier]}){settings}")
    print(f"{args.requests} requests a page after {args.warmup} warm-up, in turns; gunicorn, 1 sync worker")
    print(f"{'page':<{NAME_WIDTH}}{'median ms':>11}{'p95 ms':>10}{'× floor':>9}{'queries':>9}{'KB':>8}"
          f"{'py MB':>7}   flags")
    for row in rows:
        if not row["served"]:
            continue
        flags = []
        if row["queries"] > QUERY_BUDGET:
            flags.append(f">{QUERY_BUDGET} queries")
        if row["p95_ms"] > P95_BUDGET_MS:
            flags.append(f"p95>{P95_BUDGET_MS:.0f} ms")
        print(f"{row['page']:<{NAME_WIDTH}}{row['median_ms']:>11.1f}{row['p95_ms']:>10.1f}"
              f"{row['ratio_to_floor']:>9.2f}{row['queries']:>9}{row['bytes'] / 1024:>8.0f}"
              f"{row['python_peak_bytes'] / 1e6:>7.1f}   {', '.join(flags)}")
    print("KB: response size; py MB: peak Python allocation of one request in-process (tracemalloc)")
    print_in_process(rows)
    print(f"\nQueries per request against data size ({small_tier} → {tier})")
    print(f"{'page':<{NAME_WIDTH}}{small_tier:>9}{tier:>9}   verdict")
    for row in rows:
        small, big = row["queries_smaller_dataset"], row["queries"]
        verdict = "same" if small == big else f"GROWS by {big - small}" if big > small else "fewer"
        print(f"{row['page']:<{NAME_WIDTH}}{small:>9}{big:>9}   {verdict}")


def print_in_process(rows: list[dict[str, Any]]) -> None:
    """The pages measured in-process only (one request after a warm-up)."""
    print(f"\nIn-process only, one request after a warm-up\n{'page':<{NAME_WIDTH}}{'s':>8}"
          f"{'queries':>9}{'KB':>8}{'py MB':>7}{'RSS MB':>8}")
    for row in rows:
        if not row["served"]:
            made_by = "   task worker" if row["document"] else ""
            print(f"{row['page']:<{NAME_WIDTH}}{row['in_process_seconds']:>8.2f}{row['queries']:>9}"
                  f"{row['bytes'] / 1024:>8.0f}{row['python_peak_bytes'] / 1e6:>7.1f}"
                  f"{row['rss_peak_bytes'] / 1e6:>8.1f}{made_by}")
    print("s: wall time without tracemalloc; RSS MB: the process's peak resident set during it;")
    print("task worker: the request orders the document (its queries shown) and the worker makes")
    print("it (the time and RSS shown; its Python peak is not traced)")


def write_result(engine: Engine, run: dict[str, Any], small: dict[str, Any],
                 rows: list[dict[str, Any]], args: argparse.Namespace, started: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{engine.name}-{started}.json"
    import django

    payload = {
        "engine": engine.name, "engine_version": engine.version(), "tier": run["tier"],
        "dataset": SIZES[run["tier"]], "started": started, "requests": args.requests,
        "warmup": args.warmup, "settings": args.env, "db_size_bytes": run["db_size_bytes"],
        "seed": run["seed"], "smaller_dataset": {"tier": small["tier"], "seed": small["seed"]},
        "host": {"python": platform.python_version(), "django": django.get_version(),
                 "cpus": os.cpu_count(), "platform": platform.platform(),
                 "load_average_at_end": os.getloadavg()},
        "budgets": {"queries": QUERY_BUDGET, "p95_ms": P95_BUDGET_MS},
        "pages": rows,
    }
    path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return path


def bench_engine(engine: Engine, args: argparse.Namespace, deadline: Deadline) -> Path:
    started = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    tier = "quick" if args.quick else "full"
    small = smaller_run(engine, SMALLER[tier], args, deadline)
    run = timed_run(engine, tier, args, deadline)
    rows = summarise(run, small)
    seed_total = run["seed"]["timings"]["total"]
    print_table(engine, tier, rows, small["tier"], args)
    print(f"\nseed_scale: {seed_total:.1f} s in the command ({run['seed']['wall_seconds']:.1f} s wall); "
          f"database size after seeding: {run['db_size_bytes'] / 1e6:.1f} MB; "
          f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cpus")
    path = write_result(engine, run, small, rows, args, started)
    print(f"results: {path.relative_to(ROOT)}")
    return path


def engines(choice: str, workdir: Path) -> list[Engine]:
    url = os.environ.get("DATABASE_URL", "")
    chosen: list[Engine] = []
    if choice in ("sqlite", "all"):
        chosen.append(SqliteEngine(workdir / "sqlite"))
    if choice == "postgres" or (choice == "all" and url):
        if not url:
            raise BenchError("--engine postgres needs DATABASE_URL (postgres://…@127.0.0.1/…)")
        chosen.append(PostgresEngine(workdir / "postgresql", url))
    return chosen


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="the small dataset (60 units, 5,000 people, 10,000 measures)")
    parser.add_argument("--engine", choices=("all", "sqlite", "postgres"), default="all",
                        help="default: SQLite, and PostgreSQL when DATABASE_URL is set")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
    parser.add_argument("--env", action="append", default=[], metavar="HMS_NAME=VALUE",
                        help="a setting for the server and the query count, e.g. HMS_DB_POOL=1")
    parser.add_argument("--time-limit", type=float, default=2400,
                        help="seconds for the whole run (default 2400)")
    args = parser.parse_args(argv)
    for item in args.env:
        if not item.startswith("HMS_") or "=" not in item:
            parser.error(f"--env {item}: expected HMS_NAME=VALUE")
    return args


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop gunicorn


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    deadline = Deadline(args.time_limit)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGALRM, _terminate)
    signal.alarm(int(args.time_limit) + 60)  # a hard stop, should a step not honour its timeout
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus:
        print(f"warning: load average {load:.1f} on {cpus} cpus: other work competes, timings will be noisy")
    try:
        with tempfile.TemporaryDirectory(prefix="hms-bench-") as tmp:
            for engine in engines(args.engine, Path(tmp)):
                print(f"== {engine.name} ==")
                bench_engine(engine, args, deadline)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

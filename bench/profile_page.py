"""Where one page spends its time, in-process: each query's time and a cProfile summary.

    HMS_DATA_DIR=/tmp/some-seeded-dir .venv/bin/python bench/profile_page.py /org/ bench_faculty_leader
    DATABASE_URL=postgres://… .venv/bin/python bench/profile_page.py /measures/mine/ bench_employee
    … bench/profile_page.py "/risk/rows/{row_pk}/" bench_faculty_leader --form risk_row   # a POST

Point it at a database seeded with `manage.py seed_scale`. URL placeholders such as {faculty_pk} and
{department_pk} are filled from the bench targets, as in bench/run.py. With --form, the page is a POST
of that form from bench/pagequeries.py's FORMS (saved again each round, as bench/run.py does).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from pagequeries import FORMS, Poster, _setup


def profile(url: str, username: str, rounds: int, top: int, form: str = "", sort: str = "cumulative",
            only: str = "") -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from hms.accounts.models import User
    from hms.core import seeding

    targets = seeding.bench_targets()
    url = url.format(**targets)
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        request = Poster(client, url, FORMS[form](targets)) if form else lambda: client.get(url)
        request()
        started = time.perf_counter()
        for _ in range(rounds):
            response = request()
        print(f"{url}: {response.status_code}, {len(response.content)} bytes, "
              f"{(time.perf_counter() - started) * 1000 / rounds:.1f} ms a request in-process")
        with CaptureQueriesContext(connection) as captured:
            request()
        for query in captured.captured_queries:
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")
        profiler = cProfile.Profile()
        profiler.runcall(request)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(only, top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("user")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--form", default="", help="POST this form of bench/pagequeries.py's FORMS")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (e.g. tottime)")
    parser.add_argument("--only", default="", help="only functions whose path matches (e.g. hms/)")
    args = parser.parse_args()
    _setup()
    profile(args.url, args.user, args.rounds, args.top, args.form, args.sort, args.only)


if __name__ == "__main__":
    main()

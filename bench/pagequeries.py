"""Count the queries of each bench page, in-process, against the database the environment names.

Run by bench/run.py (not by hand): reads the pages as JSON on stdin —
[{"name": ..., "url": "/measures/units/{faculty_pk}/", "user": "bench_faculty_leader"}, ...] —
fills the URL placeholders from the seeded bench targets, requests each page twice through Django's
test Client (the first warms caches such as ContentType's) and prints one JSON object: the targets
and, per page, the status, response size and the SQL of the second request.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")
    import django

    django.setup()


def count(pages: list[dict[str, str]]) -> dict[str, Any]:
    from django.conf import settings
    from django.test.utils import override_settings

    # Static URLs need no manifest here (no query depends on it), so no collectstatic is needed.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        return _count(pages)


def _count(pages: list[dict[str, str]]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hms.accounts.models import User
    from hms.core import scale

    targets = scale.bench_targets()
    clients: dict[str, Client] = {}
    results: dict[str, Any] = {}
    for page in pages:
        if page["user"] not in clients:
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(User.objects.get(username=page["user"]))
            clients[page["user"]] = client
        client = clients[page["user"]]
        url = page["url"].format(**targets)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results[page["name"]] = {
            "url": url, "status": response.status_code, "bytes": len(response.content),
            "queries": len(captured.captured_queries),
            "sql": [query["sql"] for query in captured.captured_queries],
        }
    return {"targets": targets, "pages": results}


def main() -> None:
    pages = json.load(sys.stdin)
    _setup()
    print(json.dumps(count(pages)))


if __name__ == "__main__":
    main()

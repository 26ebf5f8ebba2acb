"""Count the queries of each bench page, in-process, against the database the environment names.

Run by bench/run.py (not by hand): reads the pages as JSON on stdin —
[{"name": ..., "url": "/measures/units/{faculty_pk}/", "user": "bench_faculty_leader",
  "method": "GET"}, ...] —
fills the URL placeholders (and user placeholders such as "{university_leader}") from the seeded
bench targets, requests each page three times through Django's test Client (the first warms caches
such as ContentType's) and prints one JSON object: the targets and, per page, the wall time and the
process's peak resident set size of the second request (RSS counts C libraries' memory too, such as
WeasyPrint's; Linux), then the status, response size, peak of Python memory allocated (tracemalloc,
which slows Python down) and SQL of the third.

A page with "method": "POST" also names a "form" in FORMS, which gives the data to send: two
variants to take in turns (so every save changes something) and the field that carries the record's
version. The answer is JSON whose "version" is the one to send next; the page's result hands the
variants and the current version on to bench/run.py, which keeps saving from there.

A page whose export is made by the task worker answers with a redirect to the document's page: its
queries are the order's, and its time, RSS and Python peak are the worker's making of it, run here
(`core.prepared.run`, as `db_worker` runs it).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")
    import django

    django.setup()


def risk_row_form(targets: dict[str, Any]) -> dict[str, Any]:
    """Every cell of the bench row as the in-place editor sends it (its FormData), the probability
    turning between 2 and 4 from one save to the next; the version field separately."""
    from django import forms

    from hms.risk.forms import RowForm
    from hms.risk.models import RiskRow

    row = RiskRow.objects.select_related("assessment__matrix").get(pk=targets["row_pk"])
    form = RowForm.for_row(row)
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(field, forms.BooleanField):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = "" if value is None else str(value)
    probability = form.add_prefix("probability")
    variants = [{**data, probability: "2"}, {**data, probability: "4"}]
    return {"variants": variants, "version_field": form.add_prefix("version"), "version": row.version}


FORMS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"risk_row": risk_row_form}


def count(pages: list[dict[str, str]]) -> dict[str, Any]:
    from django.conf import settings
    from django.test.utils import override_settings

    # Static URLs need no manifest here (no query depends on it), so no collectstatic is needed.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        return _count(pages)


class Poster:
    """Saves a form again and again, in turns of its variants, each time with the version the
    previous answer gave."""

    def __init__(self, client: Any, url: str, post: dict[str, Any]) -> None:
        self.client, self.url, self.post, self.turn = client, url, post, 0

    def __call__(self) -> Any:
        post = self.post
        data = {**post["variants"][self.turn % len(post["variants"])],
                post["version_field"]: str(post["version"])}
        response = self.client.post(self.url, data, headers={"Accept": "application/json"})
        self.turn += 1
        if response.status_code == 200:
            post["version"] = response.json()["version"]
        return response


def targets_with_university() -> dict[str, Any]:
    """The seeded bench targets, and the university with its leader (for the exports of the
    whole university's action plan)."""
    from hms.core import seeding
    from hms.core.roles import Role
    from hms.org.models import OrgUnit, RoleAssignment

    university = OrgUnit.objects.get_first_root_node()
    leader = RoleAssignment.objects.active().get(org_unit=university, role=Role.LEADER)
    return {**seeding.bench_targets(), "university_pk": university.pk,
            "university_leader": leader.person.username}


def _peak_rss_since_reset() -> int:
    """The process's peak resident set size in bytes since the last `_reset_peak_rss`."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak_rss() -> None:
    """Set the kernel's peak RSS of this process back to its current RSS (Linux ≥ 4.0)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def _timed(request: Callable[[], Any]) -> tuple[float, int]:
    """One request without tracemalloc (which slows Python down): its wall time, the body read to
    its end, and the process's peak RSS in bytes while it ran."""
    _reset_peak_rss()
    started = time.perf_counter()
    request().getvalue()
    return time.perf_counter() - started, _peak_rss_since_reset()


def _ordered_document(response: Any) -> int | None:
    """The document a request ordered from the task worker (a redirect to its page), or None."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    parts = location.strip("/").split("/")
    return int(parts[1]) if len(parts) == 2 and parts[0] == "documents" and parts[1].isdigit() else None


def _document(url: str, username: str, request: Callable[[], Any]) -> dict[str, Any]:
    """A page whose export the task worker makes: the order's queries, then the worker's making
    of it in this process (as `db_worker` would), timed with its peak RSS (no tracemalloc: it would
slow the long ones down by half)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hms.core import prepared
    from hms.core.models import PreparedDocument

    with CaptureQueriesContext(connection) as captured:
        document_id = _ordered_document(request())
    assert document_id is not None, url
    _reset_peak_rss()
    started = time.perf_counter()
    status = prepared.run(document_id)
    seconds = time.perf_counter() - started
    made = PreparedDocument.objects.get(pk=document_id)
    return {"url": url, "user": username, "status": 200 if status == "ready" else 500,
            "bytes": made.file.size if made.file else 0, "seconds": seconds,
            "queries": len(captured.captured_queries), "python_peak_bytes": 0,
            "rss_peak_bytes": _peak_rss_since_reset(), "document": True,
            "sql": [query["sql"] for query in captured.captured_queries]}


def _count(pages: list[dict[str, str]]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hms.accounts.models import User

    targets = targets_with_university()
    clients: dict[str, Client] = {}
    results: dict[str, Any] = {}
    for page in pages:
        username = page["user"].format(**targets)
        if username not in clients:
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(User.objects.get(username=username))
            clients[username] = client
        client = clients[username]
        url = page["url"].format(**targets)
        post = None
        if page.get("method", "GET") == "POST":
            post = FORMS[page["form"]](targets)
            request: Callable[[], Any] = Poster(client, url, post)
        else:
            def request(client: Client = client, url: str = url) -> Any:
                return client.get(url)
        if _ordered_document(request()) is not None:
            results[page["name"]] = _document(url, username, request)
            continue
        seconds, rss = _timed(request)
        tracemalloc.start()
        with CaptureQueriesContext(connection) as captured:
            response = request()
            size = len(response.getvalue())  # a streamed download is read to its end
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[page["name"]] = {
            "url": url, "user": username, "status": response.status_code, "bytes": size,
            "seconds": seconds, "queries": len(captured.captured_queries),
            "python_peak_bytes": peak, "rss_peak_bytes": rss,
            "sql": [query["sql"] for query in captured.captured_queries],
        }
        if post is not None:
            results[page["name"]]["post"] = post
    return {"targets": targets, "pages": results}


def main() -> None:
    pages = json.load(sys.stdin)
    _setup()
    print(json.dumps(count(pages)))


if __name__ == "__main__":
    main()

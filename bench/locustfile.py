"""The users of bench/load.py: each signs in as one of the bench's people, from an address of
its own behind the trusted proxy (documentation ranges, RFC 5737: the server is on loopback and
only reads the header), and then asks for the everyday pages without think time. The floor is
one of the tasks, so its times come from the same run."""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, constant, task

TARGETS = json.loads(os.environ["HMS_LOAD_TARGETS"])
PASSWORD = "demo"  # noqa: S105 - the documented password of the fictional bench users
_numbers = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(HttpUser):
    abstract = True
    wait_time = constant(0)
    username = ""

    def on_start(self) -> None:
        number = next(_numbers)
        self.client.headers["X-Forwarded-For"] = f"198.51.100.{number % 250 + 1}"
        page = self.client.get("/accounts/login/", name="sign-in form")
        token = CSRF.search(page.text)
        self.client.post("/accounts/login/", name="sign in", headers={"Referer": page.url},
                         data={"login": self.username, "password": PASSWORD,
                               "csrfmiddlewaretoken": token.group(1) if token else ""})

    def _get(self, name: str, url: str) -> None:
        self.client.get(url.format(**TARGETS), name=name)

    @task(3)
    def floor(self) -> None:
        self._get("floor", "/floor/")

    @task(3)
    def home(self) -> None:
        self._get("home", "/")

    @task(2)
    def unit_page(self) -> None:
        self._get("unit page", "/org/units/{department_pk}/")


class Employee(Person):
    """Two in three users: their measures, the report form."""

    weight = 2
    username = "bench_employee"

    @task(3)
    def my_measures(self) -> None:
        self._get("my measures", "/measures/mine/")

    @task(1)
    def report_form(self) -> None:
        self._get("report form", "/deviations/report/")


class Leader(Person):
    """One in three: the faculty's plan, cases, meetings and training."""

    weight = 1
    username = "bench_faculty_leader"

    @task(2)
    def faculty_plan(self) -> None:
        self._get("faculty action plan", "/measures/units/{faculty_pk}/")

    @task(1)
    def deviation_list(self) -> None:
        self._get("faculty deviation list", "/deviations/units/{faculty_pk}/")

    @task(1)
    def meetings(self) -> None:
        self._get("department meetings", "/meetings/units/{department_pk}/")

    @task(1)
    def training(self) -> None:
        self._get("training gaps", "/competence/units/{department_pk}/")

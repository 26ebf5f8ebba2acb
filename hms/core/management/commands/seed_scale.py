from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from hms.core import seeding


class Command(BaseCommand):
    help = (
        "Fill an empty database with the university-scale dataset for bench/ (600 units, 50,000 "
        "people, 100,000 measures by default; deterministic). Refuses a database with users unless "
        "--force, which first deletes every record that hangs on a person or a unit (the demo "
        "university included); reference data such as the risk matrix and checklists stays."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", choices=sorted(seeding.TIERS), default="full",
                            help="a preset size (default: full)")
        parser.add_argument("--quick", action="store_const", const="quick", dest="tier",
                            help="the smoke-run size: 60 units, 5,000 people, 10,000 measures")
        parser.add_argument("--units", type=int, help="override the tier's number of units")
        parser.add_argument("--people", type=int, help="override the tier's number of people")
        parser.add_argument("--measures", type=int, help="override the tier's number of measures")
        parser.add_argument("--seed", type=int, help="random seed (default 2026)")
        parser.add_argument("--force", action="store_true",
                            help="delete the existing people and organisation first")
        parser.add_argument("--no-check", action="store_true",
                            help="skip the treebeard consistency check (find_problems)")
        parser.add_argument("--json", action="store_true",
                            help="end with one JSON line: timings and the bench targets")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = self._spec(options)
        if spec.units < 4 or spec.people < spec.units * 3 or spec.measures < 1:
            raise CommandError("Too small: at least 4 units, 3 people per unit and 1 measure.")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if get_user_model().objects.exists():
            if not options["force"]:
                raise CommandError("The database has users already: nothing seeded "
                                   "(--force deletes the people and organisation first).")
            wiped = time.perf_counter()
            seeding.wipe()
            self._step(timings, "wipe", time.perf_counter() - wiped, "existing data deleted")
        self.stdout.write(f"Seeding {spec.units} units, {spec.people} people, {spec.measures} "
                          f"measures (seed {spec.seed}) on {connection.vendor}…")
        seeding.build_scale(spec, lambda label, secs, detail: self._step(timings, label, secs, detail))
        if not options["no_check"]:
            self._check(timings)
        timings["total"] = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {timings['total']:.1f} s."))
        if options["json"]:
            result = {"spec": vars(spec), "timings": timings, "targets": seeding.bench_targets()}
            self.stdout.write(json.dumps(result))

    def _spec(self, options: dict[str, Any]) -> seeding.ScaleSpec:
        spec = seeding.TIERS[options["tier"]]
        overrides = {name: options[name] for name in ("units", "people", "measures", "seed")
                     if options.get(name) is not None}
        return replace(spec, **overrides)

    def _step(self, timings: dict[str, float], label: str, seconds: float, detail: str) -> None:
        timings[label] = seconds
        if seconds:
            self.stdout.write(f"  {label:<18} {seconds:7.2f} s  {detail}")

    def _check(self, timings: dict[str, float]) -> None:
        started = time.perf_counter()
        problems = seeding.problems()
        self._step(timings, "tree check", time.perf_counter() - started,
                   "find_problems: none" if not problems else str(problems))
        if problems:
            raise CommandError(f"The unit tree is inconsistent: {problems}")

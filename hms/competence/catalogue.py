"""The shipped courses and training requirements (data/courses.json, data/requirements.json),
loaded by a migration: a course whose code the database lacks is added, and so is a requirement
not yet there; what an administrator changed or removed in known courses stays as they left it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def load_catalogue(course_model: Any, requirement_model: Any, task_model: Any,
                   data: Path = DATA) -> int:
    """Returns how many courses were added. A requirement naming a delegated task (`task_model`,
    governance's catalogue) is left out while that task is not there."""
    known = set(course_model.objects.values_list("code", flat=True))
    added = []
    for entry in json.loads((data / "courses.json").read_text(encoding="utf-8")):
        if entry["code"] in known:
            continue
        course_model.objects.create(
            code=entry["code"], order=entry["order"], validity_months=entry["validity_months"],
            name_nb=entry["name"]["nb"], name_en=entry["name"]["en"],
            description_nb=entry["description"]["nb"], description_en=entry["description"]["en"])
        added.append(entry["code"])
    courses = course_model.objects.in_bulk(added, field_name="code")
    tasks = task_model.objects.in_bulk(field_name="code")
    for entry in json.loads((data / "requirements.json").read_text(encoding="utf-8")):
        task = tasks.get(entry["task"]) if entry.get("task") else None
        if entry["course"] in courses and (task is not None or not entry.get("task")):
            requirement_model.objects.get_or_create(
                course=courses[entry["course"]], role=entry.get("role", ""),
                lab_work=entry.get("lab_work", False), task=task)
    return len(added)

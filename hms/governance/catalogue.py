"""The shipped catalogue of delegable HSE tasks (data/tasks.json), loaded by a migration: a task
whose code the database lacks is added; known codes keep what an administrator made of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "tasks.json"


def load_tasks(task_model: Any, path: Path = DEFAULT_FILE) -> int:
    """Returns how many tasks were added."""
    known = set(task_model.objects.values_list("code", flat=True))
    new = [task_model(code=entry["code"], order=entry["order"], name_nb=entry["name"]["nb"],
                      name_en=entry["name"]["en"], description_nb=entry["description"]["nb"],
                      description_en=entry["description"]["en"])
           for entry in json.loads(path.read_text(encoding="utf-8")) if entry["code"] not in known]
    task_model.objects.bulk_create(new)
    return len(new)

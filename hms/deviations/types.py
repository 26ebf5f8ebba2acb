"""The shipped list of deviation types (data/deviation_types.json), loaded by a migration: new codes
are added, known ones keep what an administrator set in the admin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "deviation_types.json"


def load_types(model: Any, path: Path = DEFAULT_FILE) -> int:
    """Create the types the file has and the database lacks; returns how many were made."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    known = set(model.objects.values_list("code", flat=True))
    made = [model(code=entry["code"], order=entry["order"], is_injury=entry["is_injury"],
                  name_nb=entry["name"]["nb"], name_en=entry["name"]["en"],
                  description_nb=entry["description"]["nb"],
                  description_en=entry["description"]["en"])
            for entry in entries if entry["code"] not in known]
    model.objects.bulk_create(made)
    return len(made)

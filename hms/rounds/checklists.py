"""The shipped checklist templates (data/checklists.json), loaded by a migration: a template whose
code the database lacks is added as version 1; known codes keep what an administrator made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "checklists.json"


def load_templates(template_model: Any, item_model: Any, path: Path = DEFAULT_FILE) -> int:
    """Returns how many templates were added."""
    known = set(template_model.objects.values_list("code", flat=True))
    added = 0
    for entry in json.loads(path.read_text(encoding="utf-8")):
        if entry["code"] in known:
            continue
        template = template_model.objects.create(
            code=entry["code"], version=1, kind=entry["kind"], order=entry["order"],
            name_nb=entry["name"]["nb"], name_en=entry["name"]["en"],
            description_nb=entry["description"]["nb"], description_en=entry["description"]["en"])
        item_model.objects.bulk_create([
            item_model(template=template, position=position, text_nb=item["text"]["nb"],
                       text_en=item["text"]["en"], help_nb=item["help"]["nb"],
                       help_en=item["help"]["en"])
            for position, item in enumerate(entry["items"], start=1)])
        added += 1
    return added

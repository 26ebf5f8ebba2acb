"""Fail when the bokmål catalogue has an untranslated or fuzzy entry, or no compiled file."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "hms" / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def _text(quoted: str) -> str:
    """The text of a (possibly multi-line) quoted PO string."""
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted))


def problems(text: str) -> list[str]:
    found = []
    for block in entries(text)[1:]:  # the first entry is the header
        if "#, fuzzy" in block:
            found.append("fuzzy: " + block.strip().splitlines()[-2][:100])
        msgstrs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n")
        if not msgstrs or any(not _text(s) for s in msgstrs):
            msgid = re.search(r'msgid ((?:".*"\n?)+)', block)
            found.append("untranslated: " + (msgid.group(1).strip()[:100] if msgid else block[:100]))
    return found


def main() -> int:
    text = PO.read_text(encoding="utf-8")
    found = problems(text)
    if not PO.with_suffix(".mo").exists():
        found.append("django.mo is missing: run msgfmt (./test and ./run do)")
    for line in found:
        print(line)
    print(f"{len(entries(text)) - 1} messages, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

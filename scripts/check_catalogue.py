"""Fail when the bokmål catalogue has an untranslated or fuzzy entry, misses a text of the code
(makemessages run over a copy of the code finds one it has not), or has no compiled file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("hms") / "locale" / "nb" / "LC_MESSAGES" / "django.po"
PO = ROOT / CATALOGUE


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
            found.append("untranslated: " + (_text(msgid.group(1))[:100] if msgid else block[:100]))
    return found


def left_out(root: Path = ROOT) -> list[str]:
    """The problems of the catalogue as makemessages would make it from the code of `root`: a text
    of the code that the catalogue lacks comes back untranslated (or fuzzy, when one is like it).
    It runs on a copy, so the catalogue itself is never rewritten."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder)
        shutil.copytree(root / "hms", copy / "hms", ignore=shutil.ignore_patterns("__pycache__", "static"))
        shutil.copy(root / "manage.py", copy)
        subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "nb", "-v0"], cwd=copy,
                       check=True)
        made = entries((copy / CATALOGUE).read_text(encoding="utf-8"))
    dead = [block for block in made if re.search(r"^#~ msgid", block, re.MULTILINE)]
    live = "\n\n".join(block for block in made if block not in dead)
    return (["not in the catalogue: " + line.split(": ", 1)[1] for line in problems(live)]
            + ["no longer in the code: " + _text(block.replace("#~ ", "").split("msgstr")[0])[:100]
               for block in dead])


def main() -> int:
    text = PO.read_text(encoding="utf-8")
    found = problems(text) or left_out()
    if not PO.with_suffix(".mo").exists():
        found.append("django.mo is missing: run msgfmt (./test and ./run do)")
    for line in found:
        print(line)
    print(f"{len(entries(text)) - 1} messages, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

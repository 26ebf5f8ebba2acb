"""The README tells a newcomer what `./test` reads and what its last lines mean (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_the_readme_names_every_variable_that_test_reads():
    script = (ROOT / "test").read_text(encoding="utf-8")
    read = set(re.findall(r"\$\{?((?:HMS_|DATABASE_)[A-Z_]+)", script)) - {"HMS_SECRET_KEY"}
    read |= set(re.findall(r"os\.environ\.get\(\"(HMS_[A-Z_]+)", (ROOT / "tests/e2e/conftest.py")
                           .read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {"HMS_TEST_WORKERS", "DATABASE_URL", "HMS_REQUIRE_BROWSER"} <= read
    assert [name for name in sorted(read) if f"`{name}`" not in readme] == []


def test_test_says_plainly_when_the_browser_tests_were_skipped():
    script = (ROOT / "test").read_text(encoding="utf-8")
    closing = script[script.index("# The closing word"):]
    assert "[ ! -x /usr/bin/chromium ]" in closing and "SKIPPED" in closing
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "the browser tests were skipped because `/usr/bin/chromium` is missing" in readme

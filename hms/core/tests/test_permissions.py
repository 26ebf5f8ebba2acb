from __future__ import annotations

import importlib

from django.urls import URLPattern, URLResolver, get_resolver

from hms.core.tests.battery import ViewCase, allow, battery_tests

EVERYONE = allow("*")
CASES = [
    ViewCase("core:home", get=EVERYONE),
    ViewCase("core:notifications", get=EVERYONE),
    ViewCase("core:notifications_read", get={"*": 405}, post={"*": 302}),
    ViewCase("core:floor", get=EVERYONE, post=EVERYONE),
    ViewCase("core:health", get=EVERYONE, post=EVERYONE, anonymous=200),
    ViewCase("accounts:set_language", get={"*": 405}, post={"*": 302},
             data=lambda cast: {"language": "en", "next": "/"}, anonymous={"get": 405, "post": 302}),
]

test_core_views = battery_tests(CASES)

OUR_NAMESPACES = {"core", "accounts", "org", "measures", "risk"}
BATTERY_MODULES = ["hms.core.tests.test_permissions", "hms.org.tests.test_permissions",
                   "hms.measures.tests.test_permissions", "hms.risk.tests.test_permissions"]


def _names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            if namespace in OUR_NAMESPACES:
                names |= _names(pattern.url_patterns, f"{namespace}:")
        elif isinstance(pattern, URLPattern) and prefix and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_covered_by_the_battery() -> None:
    covered = {case.name for module in BATTERY_MODULES
               for case in importlib.import_module(module).CASES}
    ours = _names(get_resolver().url_patterns)
    assert ours, "no URL patterns found"
    assert ours - covered == set(), f"views without a permission battery: {sorted(ours - covered)}"


def test_no_view_fetches_records_around_the_access_layer() -> None:
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = [
        f"{path}:{number}"
        for path in Path(settings.BASE_DIR, "hms").rglob("views.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\.objects\.get\(|get_object_or_404\(", line)
    ]
    assert offenders == [], f"use an access_<thing> function instead: {offenders}"

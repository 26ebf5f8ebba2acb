from __future__ import annotations

import importlib

from django.urls import URLPattern, URLResolver, get_resolver

from hms.core.tests.battery import ViewCase, allow, battery_tests
from hms.core.tests.documents import ready_document

EVERYONE = allow("*")
CASES = [
    ViewCase("core:home", get=EVERYONE),
    ViewCase("core:notifications", get=EVERYONE),
    ViewCase("core:notifications_read", get={"*": 405}, post={"*": 302}),
    ViewCase("core:floor", get=EVERYONE, post=EVERYONE),
    ViewCase("core:documents", get=EVERYONE, post={"*": 405}),
    # A prepared document is its owner's alone: not even an administrator fetches it.
    ViewCase("core:document", args=lambda cast: [cast.document.pk], get=allow("leader"),
             post={"*": 405}, setup=lambda cast: {"document": ready_document(cast.leader)}),
    ViewCase("core:document_file", args=lambda cast: [cast.document.pk], get=allow("leader"),
             post={"*": 405}, setup=lambda cast: {"document": ready_document(cast.leader)}),
    ViewCase("core:health", get=EVERYONE, post=EVERYONE, anonymous=200),
    ViewCase("accounts:set_language", get={"*": 405}, post={"*": 302},
             data=lambda cast: {"language": "en", "next": "/"}, anonymous={"get": 405, "post": 302}),
]

test_core_views = battery_tests(CASES)

def _battery_modules() -> list[str]:
    """Every app's tests/test_permissions.py: a new app is covered (or found uncovered) by itself."""
    from pathlib import Path

    from django.conf import settings

    return sorted(f"hms.{path.parent.parent.name}.tests.test_permissions"
                  for path in Path(settings.BASE_DIR, "hms").glob("*/tests/test_permissions.py"))


def _ours(resolver: URLResolver) -> bool:
    """URLs that our apps define (not the admin's or allauth's)."""
    module = getattr(resolver.urlconf_module, "__name__", str(resolver.urlconf_name))
    return module.startswith("hms.")


def _names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace and _ours(pattern):
                names |= _names(pattern.url_patterns, f"{pattern.namespace}:")
        elif isinstance(pattern, URLPattern) and prefix and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_covered_by_the_battery() -> None:
    modules = _battery_modules()
    assert "hms.deviations.tests.test_permissions" in modules
    covered = {case.name for module in modules
               for case in importlib.import_module(module).CASES}
    ours = _names(get_resolver().url_patterns)
    assert {"risk:detail", "deviations:report"} <= ours, "our URL patterns were not found"
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

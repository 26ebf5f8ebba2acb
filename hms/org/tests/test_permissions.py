from __future__ import annotations

from hms.core.tests.battery import ViewCase, allow, battery_tests

CASES = [
    ViewCase("org:tree", get=allow("*"), post={"*": 405}),
    ViewCase("org:unit", args=lambda c: [c.unit_a.pk], get=allow("*"), post={"*": 405}),
    ViewCase("org:switch", query=lambda c: f"?unit={c.unit_a.pk}", get={"*": 302},
             post={"*": 405}),
    ViewCase("org:import", get=allow("admin"), post=allow("admin")),
]

test_org_views = battery_tests(CASES)

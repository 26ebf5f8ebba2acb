"""Importing the organisation: a broken file is refused whole with a row-by-row report; a good
one is imported, and importing it again changes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import DESKTOP, check_a11y, check_phone, nb

pytestmark = pytest.mark.browser

BROKEN_PEOPLE = """username,email,first_name,last_name,unit,role,valid_from
kari,kari@example.org,Kari,Nordmann,a,captain,
ola,ola@example.org,Ola,Nordmann,a,employee,31.02.2026
per,per@example.org,Per,Hansen,nowhere,employee,
siri,siri@example.org,Siri,Berg,a,employee,01.03.2026
"""

GOOD_UNITS = """code;name;kind;parent
c;Department C;department;f
c1;Section C1;section;c
"""


def upload(page, kind, name, text):
    page.locator(f"input[name=kind][value={kind}]").check()
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_role("button", name=nb("Check and import"), exact=True).click()


def test_a_broken_people_file_is_refused_whole_and_a_units_file_imports_once(new_context, cast):
    from hms.accounts.models import User
    from hms.core.models import AuditEvent
    from hms.org.models import OrgUnit, RoleAssignment

    page = new_context(cast.admin).new_page()
    page.goto("/")
    page.get_by_role("navigation", name=nb("Main")).get_by_role("link", name=nb("Import")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nb("Import units and people"))
    check_a11y(page)
    counts = (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())

    upload(page, "people", "people.csv", BROKEN_PEOPLE)
    report = page.locator("#import-errors")
    expect(report).to_contain_text(nb("Nothing was imported: the file has %(n)s error.",
                                      "Nothing was imported: the file has %(n)s errors.", 3) % {"n": 3})
    rows = report.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td")).to_have_text(
        ["2", "role", nb("Unknown role “%(value)s”.") % {"value": "captain"}])
    expect(rows.nth(1).locator("td")).to_have_text(
        ["3", "valid_from",
         nb("“%(value)s” is not a date (use 2026-03-01 or 01.03.2026).") % {"value": "31.02.2026"}])
    expect(rows.nth(2).locator("td")).to_have_text(
        ["4", "unit", nb("No unit has the code “%(code)s”.") % {"code": "nowhere"}])
    check_a11y(page)
    check_phone(page, report, page.get_by_role("button", name=nb("Check and import"), exact=True))
    check_a11y(page)
    page.set_viewport_size(DESKTOP)
    assert (User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count()) == counts
    assert not User.objects.filter(username__in=["kari", "ola", "per", "siri"]).exists()

    upload(page, "units", "units.csv", GOOD_UNITS)
    expect(page.locator("#import-errors")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text(
        nb("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % {"created": 2, "updated": 0, "unchanged": 0})
    c = OrgUnit.objects.get(code="c")
    assert (c.name, c.kind, OrgUnit.objects.get_parent(c).code) == ("Department C", "department", "f")
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="c1")).code == "c"
    check_a11y(page)

    events = AuditEvent.objects.count()
    upload(page, "units", "units.csv", GOOD_UNITS)
    expect(page.get_by_role("status")).to_have_text(
        nb("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % {"created": 0, "updated": 0, "unchanged": 2})
    assert AuditEvent.objects.count() == events
    assert OrgUnit.objects.filter(code__in=["c", "c1"]).count() == 2

    page.goto("/org/")
    expect(page.locator("#org-tree").get_by_role("link", name="Section C1", exact=True)).to_be_visible()

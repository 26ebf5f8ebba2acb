"""Every aria-describedby and aria-labelledby of the main forms names an element of the page (issue
14): the help texts ("only the handler and the leader see this") and errors are read out with their
field, and a refused submit links each invalid field, radios included, to its error."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from hms.deviations.tests.factories import deviation_type

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class _References(HTMLParser):
    """The ids of a page and the ids its aria attributes name, by the tag that names them."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.named: list[tuple[str, str, str]] = []  # (tag's id or name, attribute, id named)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        for attribute in REFERENCES:
            for named in values.get(attribute, "").split():
                self.named.append((values.get("id") or values.get("name") or tag, attribute, named))


def references(html: str) -> _References:
    parser = _References()
    parser.feed(html)
    return parser


def dangling(html: str) -> list[tuple[str, str, str]]:
    found = references(html)
    return [ref for ref in found.named if ref[2] not in found.ids]


def signed_in(user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)  # type: ignore[arg-type]
    return client


def pages(cast: object) -> dict[str, tuple[object, str, dict[str, str] | None]]:
    """(who, url, what is posted or None for a GET) of the main forms, fresh and refused."""
    report, measure = reverse("deviations:report"), reverse("measures:create", args=[cast.unit_a.pk])  # type: ignore[attr-defined]
    assessment = reverse("risk:create", args=[cast.unit_a.pk])  # type: ignore[attr-defined]
    return {
        "report": (cast.employee, report, None),  # type: ignore[attr-defined]
        "report refused": (cast.employee, report, {"title": "", "description": ""}),  # type: ignore[attr-defined]
        "measure": (cast.leader, measure, None),  # type: ignore[attr-defined]
        "measure refused": (cast.leader, measure, {"title": ""}),  # type: ignore[attr-defined]
        "assessment": (cast.leader, assessment, None),  # type: ignore[attr-defined]
        "assessment refused": (cast.leader, assessment, {"title": ""}),  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("name", ["report", "report refused", "measure", "measure refused",
                                  "assessment", "assessment refused"])
def test_every_aria_reference_of_the_main_forms_exists(cast, name):
    deviation_type()
    who, url, data = pages(cast)[name]
    client = signed_in(who)
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200, url
    html = response.content.decode()
    if data is not None:
        assert "_error" in html, f"{name}: the refused form links no error"
    assert not dangling(html), f"{name} names ids that are not on the page: {dangling(html)}"


def test_the_injury_fields_are_described_by_who_sees_them(cast):
    html = signed_in(cast.employee).get(reverse("deviations:report")).content.decode()
    found = references(html)
    described = {named for owner, attribute, named in found.named
                 if owner in {"id_injured_person", "id_health_details"}
                 and attribute == "aria-describedby"}
    assert described == {"id_injured_person_helptext", "id_health_details_helptext"}
    assert described <= found.ids


def test_refused_radios_are_linked_to_their_error(cast):
    deviation_type()
    html = signed_in(cast.employee).post(reverse("deviations:report"), {"title": "x"}).content.decode()
    found = references(html)
    assert ("fieldset", "aria-describedby", "id_deviation_type_error") in found.named
    assert "id_deviation_type_error" in found.ids
    assert 'href="#id_deviation_type_0"' in html  # the summary's link leads to the first radio


def test_the_error_summary_can_take_the_focus(cast):
    html = signed_in(cast.employee).post(reverse("deviations:report"), {"title": "x"}).content.decode()
    assert 'id="form-errors" tabindex="-1" data-error-summary' in html

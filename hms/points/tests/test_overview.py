"""The points' own machinery (issue 16): evidence texts that render in either language and keep
in a snapshot, the registry of computations, a unit's overview with the year before, confirming a
point by hand (both names shown, the figure never hidden, bad input refused and kept), and closing
a year (its snapshot stands when the records change)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.points import evidence, services
from hms.points.evidence import Evidence, Link, State, Text, Units, Year
from hms.points.freeze import freeze_closed_years, freeze_year
from hms.points.models import PointConfirmation, PointSnapshot, Verdict
from hms.points.overview import closing_day, is_closed, points_of, unit_overview

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
FIGURE = gettext_noop("Overall risk mapping approved %(approved)s, review due %(due)s.")


def test_a_text_renders_in_the_readers_language_with_local_dates_and_keeps_in_json():
    text = Text(FIGURE, {"approved": dt.date(2025, 3, 2), "due": dt.date(2027, 3, 2)})
    with translation.override("en"):
        assert str(text) == "Overall risk mapping approved 03/02/2025, review due 03/02/2027."
    kept = Evidence(State.PARTLY, (text,), (Link(Text("Record"), "/risk/1/"),),
                    (Link(Text("Do it"), "/risk/new/"),))
    assert Evidence.of_json(kept.as_json()) == kept
    assert kept.as_json()["figures"][0]["values"]["approved"] == "2025-03-02"
    with translation.override("nb"):
        assert str(text).endswith("02.03.2027.")  # and in bokmål dd.mm.yyyy


def test_a_rule_is_computed_by_one_app_only_and_must_be_in_the_catalogue():
    with pytest.raises(ImproperlyConfigured):
        evidence.register("no such rule", evidence.by_hand)
    with pytest.raises(ImproperlyConfigured):
        evidence.register("by_hand", evidence.later)
    evidence.register("by_hand", evidence.by_hand)  # the same again is harmless


def test_a_computation_must_answer_for_every_unit(cast: Any, monkeypatch: Any):
    monkeypatch.setitem(evidence.COMPUTATIONS, "goals", lambda units, year, point: {})
    with pytest.raises(ImproperlyConfigured):
        evidence.evidence_for(Units.one(cast.unit_a), Year(THIS_YEAR, timezone.localdate()),
                              points_of(THIS_YEAR)[:1])


def test_a_year_closes_on_the_first_of_march_of_the_next_year(settings: Any):
    assert closing_day(2025) == dt.date(2026, 3, 1)
    assert not is_closed(2025, dt.date(2026, 2, 28)) and is_closed(2025, dt.date(2026, 3, 1))
    settings.HMS_POINTS_YEAR_CLOSES = "01-15"
    assert closing_day(2025) == dt.date(2026, 1, 15)


def test_the_overview_holds_the_19_points_with_the_year_before(cast: Any):
    rows = unit_overview(cast.unit_a, THIS_YEAR)
    assert [row.point.number for row in rows] == list(range(1, 20))
    by_hand = rows[4]
    assert by_hand.evidence.state == State.NOT_RECORDED and by_hand.previous is not None
    with translation.override("en"):
        assert "confirm it by hand" in str(by_hand.evidence.figures[0])


def confirm(cast: Any, who: str, role: str, verdict: str = Verdict.CONFIRMED, comment: str = "",
            year: int = THIS_YEAR, number: int = 5) -> PointConfirmation:
    return services.confirm(actor=cast.users[who], unit=cast.unit_a, year=year, number=number,
                            role=role, verdict=verdict, comment=comment)


def test_the_leader_and_the_safety_representative_each_confirm_and_both_names_show(cast: Any):
    confirm(cast, "leader", "leader", comment="Staff meetings every month")
    confirm(cast, "safety_rep", "safety_rep", Verdict.NOT_MET, "Students are not asked")
    client = Client()
    client.force_login(cast.employee)
    html = client.get(reverse("points:unit", args=[cast.unit_a.pk])).content.decode()
    point = html[html.index('id="point-5"'):html.index('id="point-6"')]
    assert "Leader Tester" in point and "Safety_Rep Tester" in point
    assert "Students are not asked" in point and "Staff meetings every month" in point
    assert "bekrefter det manuelt" in point  # the figure stays beside the confirmations
    assert AuditEvent.objects.filter(action="confirm").count() == 2


def test_saying_it_again_replaces_the_word_and_the_audit_keeps_the_one_before(cast: Any):
    confirm(cast, "leader", "leader", comment="First")
    confirm(cast, "leader", "leader", Verdict.NOT_MET, "Second")
    assert PointConfirmation.objects.get().comment == "Second"
    last = AuditEvent.objects.filter(action="confirm").latest("pk")
    assert (last.before["comment"], last.after["comment"]) == ("First", "Second")


@pytest.mark.parametrize(("who", "role"), [("safety_rep", "leader"), ("leader", "safety_rep"),
                                           ("employee", "leader"), ("outsider", "leader")])
def test_only_the_holder_of_the_role_confirms_in_it(cast: Any, who: str, role: str):
    with pytest.raises(PermissionDenied):
        confirm(cast, who, role)


@pytest.mark.parametrize(("changes", "message"), [
    ({"verdict": Verdict.COMMENT}, "Write the comment."),
    ({"verdict": "maybe"}, "Choose whether the point is met"),
    ({"number": 20}, "has no point 20"),
    ({"year": THIS_YEAR + 1}, "this year or a year before"),
    ({"year": THIS_YEAR - 2}, "is closed"),
])
def test_bad_confirmations_are_refused_with_a_reason(cast: Any, changes: dict[str, Any], message: str):
    with translation.override("en"), pytest.raises(ServiceError, match=message):
        confirm(cast, "leader", "leader", **{"verdict": Verdict.CONFIRMED, **changes})
    assert not PointConfirmation.objects.exists()


def test_a_refused_confirmation_keeps_what_was_typed(cast: Any):
    client = Client()
    client.force_login(cast.leader)
    url = reverse("points:confirm", args=[cast.unit_a.pk, THIS_YEAR, 7])
    response = client.post(url, {"point7-role": "leader", "point7-verdict": "comment",
                                 "point7-comment": "   "})
    assert response.status_code == 400 and not PointConfirmation.objects.exists()
    response = client.post(url, {"point7-role": "leader", "point7-verdict": "bogus",
                                 "point7-comment": "Mapping is under way with the BHT"})
    html = response.content.decode()
    assert response.status_code == 400 and "Mapping is under way with the BHT" in html
    assert 'id="point-7"' in html and 'name="point7-comment"' in html  # the point's own page


def test_the_form_of_a_point_is_on_its_own_page_and_the_overview_links_it(cast: Any):
    client = Client()
    client.force_login(cast.leader)
    url = reverse("points:confirm", args=[cast.unit_a.pk, THIS_YEAR, 5])
    overview = client.get(reverse("points:unit", args=[cast.unit_a.pk])).content.decode()
    assert overview.count('/confirm/"') == 19 and f'href="{url}"' in overview
    assert "/confirm/\" class=\"stack\"" not in overview and "point5-verdict" not in overview  # no form
    page = client.get(url)
    assert page.status_code == 200 and 'id="point-5"' in page.content.decode()
    for bad in ([cast.unit_a.pk, THIS_YEAR, 0], [cast.unit_a.pk, THIS_YEAR, 20],
                [cast.unit_a.pk, THIS_YEAR + 1, 5], [cast.unit_a.pk, THIS_YEAR - 3, 5]):
        assert client.get(reverse("points:confirm", args=bad)).status_code == 404, bad


def test_someone_who_sees_the_points_but_confirms_none_is_refused(cast: Any):
    client = Client()
    client.force_login(cast.employee)
    url = reverse("points:confirm", args=[cast.unit_a.pk, THIS_YEAR, 5])
    assert client.post(url, {"point5-role": "leader", "point5-verdict": "confirmed"}).status_code == 403


FROZEN_STATE: dict[str, State] = {}


def switching_rule(units: Units, year: Year, point: Any) -> dict[int, Evidence]:
    """A stand-in for an app's rule whose answer the test changes, as an edit of records would."""
    return dict.fromkeys(units.ids, Evidence(FROZEN_STATE["now"], (Text("Goals: %(n)s", {"n": 1}),)))


def test_a_closed_year_is_frozen_once_and_later_changes_do_not_rewrite_it(cast: Any, monkeypatch: Any):
    monkeypatch.setitem(evidence.COMPUTATIONS, "goals", switching_rule)
    FROZEN_STATE["now"] = State.MET
    last_year = THIS_YEAR - 1
    today = closing_day(last_year)
    assert freeze_year(last_year, today=today - dt.timedelta(days=1)) == 0  # still open
    written = freeze_year(last_year, today=today)
    assert written == 19 * 6  # 19 points × the cast's 6 units
    assert freeze_year(last_year, today=today) == 0  # once
    FROZEN_STATE["now"] = State.NOT_MET
    monkeypatch.setattr("hms.points.overview.is_closed", lambda year, day=None: year < THIS_YEAR)
    rows = unit_overview(cast.unit_a, THIS_YEAR)
    assert rows[0].evidence.state == State.NOT_MET  # this year: live
    assert rows[0].previous is not None and rows[0].previous.state == State.MET  # last year: frozen
    snapshot = PointSnapshot.objects.get(org_unit=cast.unit_a, year=last_year, number=1)
    assert snapshot.state == State.MET and snapshot.catalogue.version == 1


def test_the_daily_job_freezes_last_year_after_it_closed(cast: Any):
    assert freeze_closed_years(dt.date(THIS_YEAR, 2, 28)) == 19 * 6  # the year before last
    assert set(PointSnapshot.objects.values_list("year", flat=True)) == {THIS_YEAR - 2}
    assert freeze_closed_years(dt.date(THIS_YEAR, 3, 1)) == 19 * 6
    assert set(PointSnapshot.objects.values_list("year", flat=True)) == {THIS_YEAR - 2, THIS_YEAR - 1}


@pytest.mark.parametrize(("viewname", "args"), [("org:unit", [7]), ("points:confirm", [3, 2026, 5]),
                                                ("risk:detail", [123456])])
def test_a_rules_link_is_the_url_reverse_gives(viewname: str, args: list[int]):
    assert evidence.url_for(viewname, args) == reverse(viewname, args=args)

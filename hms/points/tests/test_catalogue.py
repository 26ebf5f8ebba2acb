"""The catalogue of the points as data (issue 16, item 1): shipped with 19 points in both
languages, validated whole before it is loaded, versioned so that a year keeps the version it was
judged by."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from hms.core.errors import ServiceError
from hms.core.models import AuditEvent
from hms.points import services
from hms.points.catalogue import problems
from hms.points.management.commands.load_points_catalogue import DEFAULT
from hms.points.models import PointCatalogue

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def shipped() -> dict:
    return json.loads(DEFAULT.read_text(encoding="utf-8"))


def test_the_shipped_catalogue_holds_the_19_points_for_every_year_on_record():
    catalogue = PointCatalogue.objects.for_year(2001)
    assert catalogue == PointCatalogue.objects.for_year(THIS_YEAR)
    points = catalogue.points()
    assert [point.number for point in points] == list(range(1, 20))
    assert all(point.confirm_roles == ("leader", "safety_rep") for point in points)
    meetings, mapping = catalogue.point(4), catalogue.point(7)
    assert (meetings.rule, meetings.thresholds) == (
        "leader_safety_rep_meetings", {"min_meetings": 4, "count_per": "area"})
    assert mapping.thresholds == {"max_age_years": 2} and mapping.ikf == (6,)
    assert [p.number for p in points if not p.computed] == [5, 14, 16, 17, 18, 19]
    assert PointCatalogue.objects.for_year(1999) is None


def test_point_5_is_employees_taking_part_confirmed_by_hand_in_both_languages():
    point = PointCatalogue.objects.for_year(THIS_YEAR).point(5)
    assert point.rule == "by_hand"
    with translation.override("nb"):
        assert (point.short, point.text) == ("Ansatte deltar i HMS-arbeidet",
                                             "De ansatte deltar i HMS-arbeidet.")
    with translation.override("en"):
        assert point.short == "Employees take part in HSE work"


def test_the_shipped_definition_has_no_problems():
    assert problems(shipped()) == []


def broken(change) -> dict:
    definition = copy.deepcopy(shipped())
    change(definition)
    return definition


BROKEN = {
    "not an object": lambda d: d.clear() or d.update({"points": "x"}),
    "no English name": lambda d: d["name"].pop("en"),
    "no points": lambda d: d.update(points=[]),
    "numbers out of order": lambda d: d["points"].reverse(),
    "a point that is text": lambda d: d["points"].__setitem__(2, "goals"),
    "an empty short text": lambda d: d["points"][0]["short"].update(nb=" "),
    "an unknown rule": lambda d: d["points"][0].update(rule="vibes"),
    "an unknown threshold": lambda d: d["points"][0]["thresholds"].update(min_vibes=2),
    "thresholds as a list": lambda d: d["points"][0].update(thresholds=[1]),
    "a negative count": lambda d: d["points"][3]["thresholds"].update(min_meetings=-1),
    "a fractional count": lambda d: d["points"][3]["thresholds"].update(min_meetings=3.5),
    "a count that is true": lambda d: d["points"][3]["thresholds"].update(min_meetings=True),
    "a share over 1": lambda d: d["points"][9]["thresholds"].update(max_overdue_share=1.5),
    "an unknown way to count": lambda d: d["points"][3]["thresholds"].update(count_per="faculty"),
    "a § 5 item that does not exist": lambda d: d["points"][0].update(ikf=[9]),
    "no legal anchor": lambda d: d["points"][0].update(ikf=[]),
    "an unknown role": lambda d: d["points"][0].update(confirm_roles=["dean"]),
    "no roles": lambda d: d["points"][0].update(confirm_roles=[]),
}


@pytest.mark.parametrize("what", sorted(BROKEN))
def test_a_broken_definition_is_refused_whole_with_a_translated_reason(what):
    definition = broken(BROKEN[what]) if what != "not an object" else []
    with translation.override("nb"):
        found = problems(definition)
    assert found, what
    assert all(message and "must" not in message and "unknown" not in message for message in found)
    versions = PointCatalogue.objects.count()
    with pytest.raises(ServiceError):
        services.load_catalogue(actor=None, definition=definition)
    assert PointCatalogue.objects.count() == versions


def test_loading_what_is_in_force_changes_nothing():
    first = PointCatalogue.objects.get()
    assert services.load_catalogue(actor=None, definition=shipped()) == first
    assert PointCatalogue.objects.count() == 1


def test_a_new_version_holds_from_its_year_and_past_years_keep_theirs(cast):
    admin = cast.users["admin"]
    changed = broken(lambda d: d["points"][3]["thresholds"].update(min_meetings=6))
    new = services.load_catalogue(actor=admin, definition=changed, first_year=THIS_YEAR + 1)
    assert (new.version, new.first_year, new.created_by) == (2, THIS_YEAR + 1, admin)
    assert PointCatalogue.objects.for_year(THIS_YEAR + 2).point(4).thresholds["min_meetings"] == 6
    assert PointCatalogue.objects.for_year(THIS_YEAR).point(4).thresholds["min_meetings"] == 4
    event = AuditEvent.objects.get(action="load", object_id=str(new.pk))
    assert event.after == {"in_force": str(new)}
    with pytest.raises(ServiceError, match="tidligere år beholder"):
        services.load_catalogue(actor=admin, definition=shipped(), first_year=THIS_YEAR - 1)


def test_only_an_administrator_loads_a_catalogue(cast):
    with pytest.raises(PermissionDenied):
        services.load_catalogue(actor=cast.leader, definition=shipped())


def test_a_saved_version_never_changes():
    catalogue = PointCatalogue.objects.get()
    catalogue.definition = {}
    with pytest.raises(PermissionDenied):
        catalogue.save()


def test_the_command_loads_a_file_and_names_what_is_wrong(tmp_path):
    path = tmp_path / "points.json"
    path.write_text(json.dumps(broken(lambda d: d["points"][0]["short"].update(en="Goals"))))
    call_command("load_points_catalogue", str(path), verbosity=0)
    assert PointCatalogue.objects.for_year(THIS_YEAR).point(1).short_texts["en"] == "Goals"
    path.write_text("{")
    with pytest.raises(CommandError, match=r"points\.json"):
        call_command("load_points_catalogue", str(path))
    with pytest.raises(CommandError, match=r"missing\.json"):
        call_command("load_points_catalogue", str(tmp_path / "missing.json"))


def test_the_catalogue_is_reference_data_that_a_scale_seed_keeps():
    from hms.core import seeding

    assert PointCatalogue not in seeding.records_of_people_and_units()

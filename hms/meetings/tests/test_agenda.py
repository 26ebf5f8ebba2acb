"""The agenda suggested from the unit's records, as the person planning may see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from hms.deviations.tests.factories import report
from hms.meetings import agenda, services
from hms.meetings.models import Kind, Source
from hms.meetings.tests.factories import held, meeting
from hms.risk import services as risk_services
from hms.risk.models import AssessmentKind, AssessmentStatus, RiskAssessment

pytestmark = pytest.mark.django_db


def keys(user, planned):
    return {s.key for s in agenda.suggestions(user, planned, list(planned.items.all()))}


def by_source(user, planned, source):
    return [s for s in agenda.suggestions(user, planned, list(planned.items.all())) if s.source == source]


def test_it_offers_the_standing_items_of_a_leader_vo_meeting_and_fewer_for_others(cast):
    assert {s.title for s in by_source(cast.leader, meeting(cast), Source.STANDING)} == {
        "Oppfølging av HMS-handlingsplanen", "Saker fra verneombudet"}
    staff = meeting(cast, kind=Kind.STAFF)
    assert len(by_source(cast.leader, staff, Source.STANDING)) == 1


def test_it_offers_deviations_reported_since_the_last_meeting_of_its_kind(cast):
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        old = report(cast, title="Gammelt avvik")
    held(cast, days=-1)
    new = report(cast, title="Nytt avvik")
    coming = meeting(cast, days=7)
    assert [s.record for s in by_source(cast.leader, coming, Source.DEVIATION)] == [new]
    assert old.pk != new.pk


def test_a_safety_representative_is_offered_only_the_cases_they_may_see(cast):
    inside = report(cast, title="I verneområdet")
    outside = report(cast, title="Utenfor verneområdet", safety_area=None)
    coming = meeting(cast)
    assert {s.record for s in by_source(cast.leader, coming, Source.DEVIATION)} == {inside, outside}
    assert [s.record for s in by_source(cast.safety_rep, coming, Source.DEVIATION)] == [inside]


def test_a_suggested_deviation_names_its_type_and_date_not_its_title(cast):
    case = report(cast, title="Kari Nordmann kuttet seg")
    suggestion = by_source(cast.leader, meeting(cast), Source.DEVIATION)[0]
    assert "Kari" not in suggestion.title and "Kari" not in suggestion.description
    assert str(case.deviation_type) in suggestion.title and str(case.pk) in suggestion.description


def test_it_offers_overdue_measures_and_reviews_falling_due(cast, measure_factory):
    late = measure_factory(title="Merk nødutganger", deadline=timezone.localdate() - dt.timedelta(days=3))
    measure_factory(title="Ikke forfalt", deadline=timezone.localdate() + dt.timedelta(days=60))
    call_command("load_risk_matrix")
    assessment = risk_services.create_assessment(
        actor=cast.leader, org_unit=cast.unit_a, kind=AssessmentKind.DETAILED,
        data={"title": "Løsemiddellab", "trigger": "new_activity"}, participants=())
    RiskAssessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.APPROVED, review_due=timezone.localdate() + dt.timedelta(days=20))
    coming = meeting(cast)
    assert [s.record for s in by_source(cast.leader, coming, Source.MEASURE)] == [late]
    reviews = by_source(cast.leader, coming, Source.RISK_REVIEW)
    assert [s.record.pk for s in reviews] == [assessment.pk]
    assert "Løsemiddellab" in reviews[0].title


def test_it_offers_rounds_due_where_none_is_planned(cast):
    from hms.rounds.tests.factories import lab_round

    coming = meeting(cast)
    assert [s.record for s in by_source(cast.leader, coming, Source.ROUND)] == [cast.area]
    lab_round(cast)
    assert by_source(cast.leader, coming, Source.ROUND) == []


def test_chosen_suggestions_go_on_the_agenda_and_leave_the_suggestions(cast):
    case = report(cast, title="Glass på gulvet")
    coming = meeting(cast)
    chosen = ["standing:0", f"deviation:{case.pk}", "deviation:999999"]
    assert services.add_suggestions(actor=cast.safety_rep, meeting=coming, keys=chosen) == 2
    items = list(coming.items.order_by("position"))
    assert [(i.source, i.record) for i in items] == [(Source.STANDING, None), (Source.DEVIATION, case)]
    assert all(i.raised_by_safety_rep for i in items)
    assert {"standing:0", f"deviation:{case.pk}"}.isdisjoint(keys(cast.leader, coming))


def test_choosing_nothing_is_refused(cast):
    from hms.core.errors import ServiceError

    coming = meeting(cast)
    with pytest.raises(ServiceError):
        services.add_suggestions(actor=cast.leader, meeting=coming, keys=["deviation:1"])
    assert not coming.items.exists()

"""The corners of the deviation and round rules in the access layer and services that the page
tests do not reach: signed-out users, the reporter's own view, and refused uploads."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from hms.core.errors import ServiceError
from hms.core.roles import Action
from hms.deviations import access as deviations_access
from hms.deviations import services as deviation_services
from hms.deviations.tests.factories import photo, report
from hms.rounds import access as rounds_access
from hms.rounds import services as round_services
from hms.rounds.models import Round, Status
from hms.rounds.tests.factories import lab_round

pytestmark = pytest.mark.django_db


def test_a_signed_out_user_sees_no_case_and_no_round(cast):
    case = report(cast)
    round_ = lab_round(cast)
    nobody = AnonymousUser()
    assert not type(case).objects.filter(deviations_access.deviation_q(nobody, Action.VIEW)).exists()
    assert not deviations_access.can_deviation(nobody, Action.VIEW, case)
    assert not deviations_access.follows_deviation(nobody, case)
    assert not rounds_access.can_round(nobody, Action.VIEW, round_)


def test_the_reporter_sees_their_case_but_neither_follows_nor_handles_it(cast):
    case = report(cast, safety_area=None)
    assert deviations_access.can_deviation(cast.student, Action.VIEW, case)
    assert not deviations_access.can_deviation(cast.student, Action.EDIT, case)
    assert not deviations_access.follows_deviation(cast.student, case)
    assert not deviations_access.can_deviation(cast.employee, Action.VIEW, case)


def test_a_report_takes_at_most_ten_files(cast):
    case = report(cast)
    with pytest.raises(ServiceError):
        deviation_services.report_deviation(actor=cast.student, uploads=[photo() for _ in range(11)],
                                            data={"org_unit": cast.unit_a, "title": "x",
                                                  "deviation_type": case.deviation_type,
                                                  "description": "x", "occurred_at": case.occurred_at})
    assert type(case).objects.count() == 1


@pytest.mark.parametrize("token", ["", "x" * 65])
def test_an_empty_or_overlong_poster_address_opens_nothing(cast, token):
    deviation_services.public_link(actor=cast.leader, area=cast.area)
    assert deviation_services.public_link_for(token) is None


def test_a_round_takes_photos_only_and_none_once_closed(cast):
    round_ = lab_round(cast)
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not really", content_type="application/pdf")
    with pytest.raises(ServiceError):
        round_services.add_photo(actor=cast.safety_rep, round_=round_, upload=pdf)
    Round.objects.filter(pk=round_.pk).update(status=Status.CLOSED)
    with pytest.raises(ServiceError):
        round_services.add_photo(actor=cast.safety_rep, round_=Round.objects.get(pk=round_.pk),
                                 upload=photo())
    assert not round_.photos.exists()

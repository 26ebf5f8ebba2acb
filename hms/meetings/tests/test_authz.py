"""The meeting rules of the access layer, for the cases no page reaches."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from hms.core.roles import Action
from hms.meetings import access, services
from hms.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db


def test_nobody_signed_out_or_deactivated_may_write_in_a_meeting(cast):
    planned = meeting(cast)
    cast.safety_rep.is_active = False
    cast.safety_rep.save()
    for user in (AnonymousUser(), cast.safety_rep):
        assert not access.can_meeting(user, Action.VIEW, planned)
        with pytest.raises(PermissionDenied):
            services.add_item(actor=user, meeting=planned, title="Ikke lov")
    assert not planned.items.exists()


def test_invited_people_see_and_write_but_do_not_verify(cast):
    planned = meeting(cast, invited=("lab_leader",))
    assert access.can_meeting(cast.lab_leader, Action.EDIT, planned)
    assert not access.can_meeting(cast.lab_leader, Action.VERIFY, planned)
    assert not access.can_meeting(cast.outsider, Action.VIEW, planned)

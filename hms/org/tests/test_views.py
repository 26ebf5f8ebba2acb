from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_tree_lists_every_unit_in_order(cast):
    page = client_for(cast.student).get("/org/").content.decode().split('id="org-tree"')[1]
    positions = [page.index(name) for name in
                 ("Universitetet", "Faculty F", "Department A", "Section A1", "Faculty G")]
    assert positions == sorted(positions)


def test_the_unit_page_shows_key_roles_areas_and_sub_units(cast):
    page = client_for(cast.employee).get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    for text in ("Leader Tester", "Safety_Rep Tester", "A labs", "Section A1", "Bygg 1, rom 101",
                 "Employee Tester", "Coordinator Tester"):
        assert text in page, text


def test_people_and_history_of_a_unit_are_for_its_members_only(cast):
    page = client_for(cast.outsider).get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "Leader Tester" in page  # the key roles are a directory
    assert "Employee Tester" not in page and "Student Tester" not in page
    assert f"/measures/units/{cast.unit_a.pk}/" not in page


def test_a_section_inherits_the_key_roles_that_cover_its_subtree(cast):
    page = client_for(cast.employee).get(f"/org/units/{cast.section_a1.pk}/").content.decode()
    assert "Coordinator Tester" in page and "(Faculty F)" in page
    assert "Leader Tester" not in page  # the leader of A holds the unit only, not its subtree


def test_members_see_staff_listed_and_students_counted(cast):
    page = client_for(cast.employee).get(f"/org/units/{cast.unit_a.pk}/").content.decode()
    assert "Lab_Leader Tester" in page and "Student Tester" not in page
    assert "1 student er registrert" in page

"""Administrators manage accounts, agencies, provinces and duty stations; every change is audited."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.helpers import post_form, text_of
from trainer.extensions import db
from trainer.models import Agency, AuditEntry, DutyStation, Province, User


def audit_actions() -> list[str]:
    """Actions taken by people in this test (the seed's own entries have no actor)."""
    query = select(AuditEntry.action).where(AuditEntry.actor_id.is_not(None)).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def new_user_form(**overrides) -> dict:
    station = db.session.scalar(select(DutyStation).where(DutyStation.name == "Altanbulag crossing"))
    agency = db.session.scalar(select(Agency).where(Agency.code == "GABP"))
    form = {"full_name": "Ganbaatar Tsogt", "username": "g.tsogt", "email": "", "roles": ["trainee"],
            "agency_id": str(agency.id), "duty_station_id": str(station.id), "preferred_language": "mn",
            "active": "y"}
    form.update(overrides)
    return form


def test_create_user_shows_one_time_password_once_and_audits(as_role):
    client = as_role("admin")
    assert db.session.scalar(select(func.count(User.id))) == 4  # each test starts from the seeded data
    response = post_form(client, "/admin/users/new", new_user_form())
    page = text_of(response)
    assert response.status_code == 200 and "Account created" in page
    password = re.search(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", page).group(1)
    user = db.session.scalar(select(User).where(User.username == "g.tsogt"))
    assert user.must_change_password and user.preferred_language == "mn" and user.roles == {"trainee"}
    assert password not in user.password_hash
    assert audit_actions() == ["user.create"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.actor_id.is_not(None)))
    assert entry.actor.username == "admin" and entry.target_id == user.id


def test_create_user_with_bad_input_changes_nothing(as_role):
    client = as_role("admin")
    taken = text_of(post_form(client, "/admin/users/new", new_user_form(username="Trainee")))
    assert "The username trainee is already taken." in taken
    too_long = text_of(post_form(client, "/admin/users/new", new_user_form(full_name="x" * 300)))
    assert "Field cannot be longer than 160 characters." in too_long
    no_role = text_of(post_form(client, "/admin/users/new", new_user_form(roles=[])))
    assert "Choose at least one role." in no_role
    bad_station = post_form(client, "/admin/users/new", new_user_form(duty_station_id="999999"))
    assert bad_station.status_code == 200 and "Not a valid choice" in text_of(bad_station)
    bad_email = text_of(post_form(client, "/admin/users/new", new_user_form(email="not-an-email")))
    assert "Invalid email address." in bad_email
    assert db.session.scalar(select(func.count(User.id))) == 4
    assert audit_actions() == []


def test_list_search_filter_and_paginate(app, as_role):
    client = as_role("admin")
    app.config["USERS_PER_PAGE"] = 2
    try:
        first = text_of(client.get("/admin/users"))
        assert "4 accounts found" in first and "Page 1 of 2" in first
        second = text_of(client.get("/admin/users?page=2"))
        assert "Page 2 of 2" in second
        beyond = text_of(client.get("/admin/users?page=99"))
        assert "Page 2 of 2" in beyond
    finally:
        app.config["USERS_PER_PAGE"] = 25
    found = text_of(client.get("/admin/users?q=oyun"))
    assert "1 account found" in found and "Oyunchimeg Gantulga" in found
    trainers = text_of(client.get("/admin/users?role=trainer"))
    assert "Oyunchimeg Gantulga" in trainers and "Bat-Erdene Dorj" not in trainers
    assert "1 account found" in text_of(client.get("/admin/users?role=nonsense&q=bat"))


def test_edit_user_roles_and_station(as_role, users):
    client = as_role("admin")
    form = new_user_form(full_name="Bat-Erdene Dorj", username="trainee", roles=["trainee", "trainer"])
    response = post_form(client, f"/admin/users/{users['trainee']}", form, follow_redirects=True)
    assert "The account of Bat-Erdene Dorj has been saved." in text_of(response)
    user = db.session.get(User, users["trainee"])
    assert user.roles == {"trainee", "trainer"} and user.duty_station.name == "Altanbulag crossing"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.details["roles"] == [["trainee"], ["trainee", "trainer"]]


def test_admin_cannot_lock_themselves_out(as_role, users):
    client = as_role("admin")
    form = new_user_form(full_name="Tömörbaatar Ganbold", username="admin", roles=["coordinator"])
    page = text_of(post_form(client, f"/admin/users/{users['admin']}", form))
    assert "You cannot remove your own administrator role." in page
    assert db.session.get(User, users["admin"]).roles == {"admin"}


def test_deactivate_and_reactivate(as_role, users):
    client = as_role("admin")
    done = post_form(client, f"/admin/users/{users['trainee']}/active", {"active": "0"}, token_from="/admin/users",
                     follow_redirects=True)
    assert "Bat-Erdene Dorj can no longer sign in." in text_of(done)
    assert db.session.get(User, users["trainee"]).active is False
    post_form(client, f"/admin/users/{users['trainee']}/active", {"active": "1"}, token_from="/admin/users")
    db.session.expire_all()
    assert db.session.get(User, users["trainee"]).active is True
    assert audit_actions() == ["user.deactivate", "user.activate"]
    self_off = post_form(client, f"/admin/users/{users['admin']}/active", {"active": "0"},
                         token_from="/admin/users", follow_redirects=True)
    assert "You cannot deactivate your own account." in text_of(self_off)
    assert post_form(client, "/admin/users/999999/active", {"active": "0"}, token_from="/").status_code == 404


def test_reset_password_issues_a_new_one_time_password(as_role, users, client):
    admin = as_role("admin")
    page = text_of(post_form(admin, f"/admin/users/{users['trainee']}/reset-password",
                             token_from=f"/admin/users/{users['trainee']}"))
    assert "One-time password issued" in page
    user = db.session.get(User, users["trainee"])
    assert user.must_change_password
    assert audit_actions() == ["user.reset_password"]


def test_agency_create_edit_with_local_names_and_delete(as_role):
    client = as_role("admin")
    created = post_form(client, "/admin/agencies/new", {"name": "National Police Agency", "code": "npa",
                                                       "name_mn": "Цагдаагийн ерөнхий газар", "name_ru": ""},
                        follow_redirects=True)
    assert "Saved." in text_of(created)
    agency = db.session.scalar(select(Agency).where(Agency.code == "NPA"))
    assert agency.local_names == {"mn": "Цагдаагийн ерөнхий газар"}
    client.set_cookie("lang", "mn")
    assert "Цагдаагийн ерөнхий газар" in text_of(client.get("/admin/agencies"))
    duplicate = text_of(post_form(client, f"/admin/agencies/{agency.id}", {"name": "Immigration Agency of Mongolia",
                                                                         "code": "NPA"}))
    assert "Immigration Agency of Mongolia" in duplicate and 'aria-invalid="true"' in duplicate
    post_form(client, f"/admin/agencies/{agency.id}/delete", token_from="/admin/agencies")
    assert db.session.scalar(select(Agency).where(Agency.code == "NPA")) is None
    assert audit_actions() == ["agency.create", "agency.delete"]


def test_reference_data_in_use_cannot_be_deleted(as_role):
    client = as_role("admin")
    gabp = db.session.scalar(select(Agency).where(Agency.code == "GABP"))
    page = text_of(post_form(client, f"/admin/agencies/{gabp.id}/delete", token_from="/admin/agencies",
                             follow_redirects=True))
    assert "General Authority for Border Protection is still in use and cannot be deleted." in page
    selenge = db.session.scalar(select(Province).where(Province.name == "Selenge"))
    post_form(client, f"/admin/provinces/{selenge.id}/delete", token_from="/admin/provinces")
    assert db.session.get(Province, selenge.id) is not None


def test_station_needs_kind_and_province(as_role):
    client = as_role("admin")
    province = db.session.scalar(select(Province).where(Province.name == "Dornogovi"))
    bad = text_of(post_form(client, "/admin/stations/new", {"name": "Sainshand", "kind": "seaport",
                                                            "province_id": str(province.id)}))
    assert "Not a valid choice" in bad
    post_form(client, "/admin/stations/new", {"name": "Sainshand railway station", "kind": "rail",
                                              "province_id": str(province.id), "name_ru": "Сайншанд"})
    station = db.session.scalar(select(DutyStation).where(DutyStation.name == "Sainshand railway station"))
    assert station.kind == "rail" and station.province.name == "Dornogovi"
    assert station.display_name("ru") == "Сайншанд" and station.display_name("mn") == "Sainshand railway station"
    assert client.get("/admin/stations/999999").status_code == 404
    assert client.get("/admin/harbours").status_code == 404

"""Signing in and out, forced password change, throttling, session invalidation."""
from __future__ import annotations

from sqlalchemy import select

from tests.helpers import csrf_token, post_form, sign_in, text_of
from trainer.extensions import db
from trainer.models import User
from trainer.services import users as user_service


def login(client, username, password, next_url=None):
    path = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return post_form(client, path, {"username": username, "password": password})


def test_sign_in_with_demo_credentials_and_land_on_home(client):
    response = login(client, "trainee", "demo-trainee-2026")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = text_of(client.get("/"))
    assert "Welcome, Bat-Erdene Dorj" in page
    last = db.session.scalar(select(User.last_login_at).where(User.username == "trainee"))
    assert last is not None


def test_username_is_case_insensitive(client):
    assert login(client, "  TRAINEE ", "demo-trainee-2026").status_code == 302


def test_wrong_password_gets_one_message_for_unknown_user_too(client):
    wrong = text_of(login(client, "trainee", "not-the-password"))
    unknown = text_of(login(client, "nobody-here", "not-the-password"))
    assert "Wrong username or password." in wrong
    assert "Wrong username or password." in unknown
    assert "Welcome" not in wrong


def test_failed_sign_ins_are_throttled_per_username(client):
    for _ in range(5):
        assert login(client, "trainer", "wrong-password-1").status_code == 200
    throttled = login(client, "trainer", "demo-trainer-2026")
    assert throttled.status_code == 429
    assert "Too many attempts" in text_of(throttled)
    # another account from the same address is not locked out by this one
    assert login(client, "trainee", "demo-trainee-2026").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_limit(client):
    for _ in range(7):
        assert login(client, "trainee", "demo-trainee-2026").status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})


def test_throttle_page_is_translated(client):
    client.set_cookie("lang", "ru")
    for _ in range(5):
        login(client, "trainer", "wrong-password-1")
    page = text_of(login(client, "trainer", "wrong-password-1"))
    assert "Too many attempts" not in page
    assert 'lang="ru"' in page


def test_over_long_fields_get_a_message_not_an_error(client):
    response = login(client, "x" * 5000, "y" * 5000)
    assert response.status_code == 200
    page = text_of(response)
    assert "Field cannot be longer than 64 characters." in page


def test_open_redirects_are_refused(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = login(client, "trainee", "demo-trainee-2026", next_url=target)
        assert response.headers["Location"] == "/"
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, "trainee", "demo-trainee-2026", next_url="/profile").headers["Location"] == "/profile"


def test_deactivated_account_cannot_sign_in(client, users):
    user_service.set_active(db.session, users["admin"], users["trainee"], False)
    page = text_of(login(client, "trainee", "demo-trainee-2026"))
    assert "This account has been deactivated" in page


def test_deactivation_signs_the_person_out_at_once(client, users):
    sign_in(client, "trainee")
    assert client.get("/").status_code == 200
    user_service.set_active(db.session, users["admin"], users["trainee"], False)
    assert "/auth/login" in client.get("/").headers["Location"]


def test_logout_needs_a_post_with_token(client):
    sign_in(client, "trainee")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400  # no CSRF token
    assert client.get("/").status_code == 200
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")}, follow_redirects=True)
    assert "You have signed out." in text_of(response)
    assert client.get("/").status_code == 302


def test_account_made_by_someone_else_must_change_password_first(client, users):
    user, one_time = user_service.create_user(
        db.session, users["admin"], user_service.UserData(username="new.officer", full_name="Saran Bold"))
    login(client, "new.officer", one_time)
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/password"
    assert client.get("/admin/users").headers["Location"] == "/auth/password"
    form = {"current_password": one_time, "new_password": "steppe horse river 9", "confirm": "steppe horse river 9"}
    done = post_form(client, "/auth/password", form, follow_redirects=True)
    assert "Your password has been changed." in text_of(done)
    assert client.get("/profile").status_code == 200


def test_change_password_checks_and_signs_out_other_devices(app, client):
    other_device = app.test_client()
    sign_in(client, "trainee")
    sign_in(other_device, "trainee")
    bad = post_form(client, "/auth/password", {"current_password": "wrong-one-xx", "new_password": "abcdefghijk1",
                                               "confirm": "abcdefghijk1"})
    assert "The current password is not correct." in text_of(bad)
    weak = post_form(client, "/auth/password", {"current_password": "demo-trainee-2026",
                                                "new_password": "1111111111", "confirm": "1111111111"})
    assert "too easy to guess" in text_of(weak)
    differ = post_form(client, "/auth/password", {"current_password": "demo-trainee-2026",
                                                  "new_password": "long enough phrase", "confirm": "other phrase!!"})
    assert "The two passwords differ." in text_of(differ)
    ok = post_form(client, "/auth/password", {"current_password": "demo-trainee-2026",
                                              "new_password": "long enough phrase", "confirm": "long enough phrase"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this device stays signed in
    assert other_device.get("/").status_code == 302  # the other one is signed out
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, "trainee", "long enough phrase").status_code == 302

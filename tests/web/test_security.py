"""Security headers, CSRF, request size, error pages, cookies."""
from __future__ import annotations

import pytest
from flask import abort

from tests.helpers import csrf_token, sign_in, text_of
from trainer import create_app
from trainer.certificates.signing import generate_private_pem


def test_security_headers_on_every_page(client):
    for path in ("/auth/login", "/no-such-page", "/static/css/app.css"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client):
    sign_in(client, "admin")
    for path in ("/", "/admin/users", "/admin/users/new", "/profile"):
        page = text_of(client.get(path))
        assert "<script" not in page and "style=" not in page and "<style" not in page


def test_static_files_are_cached(client):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200 and response.cache_control.max_age == 86400


def test_post_without_csrf_token_gets_a_clear_message(client):
    response = client.post("/auth/login", data={"username": "trainee", "password": "demo-trainee-2026"})
    assert response.status_code == 400
    assert "sent without its security token" in text_of(response)
    assert client.get("/").status_code == 302  # not signed in


def test_wrong_csrf_token_is_refused_in_translation(client):
    client.set_cookie("lang", "ru")
    response = client.post("/language", data={"lang": "mn", "csrf_token": "forged"})
    assert response.status_code == 400 and 'lang="ru"' in text_of(response)
    assert "security token" not in text_of(response)


def test_oversized_request_gets_413_page(client):
    token = csrf_token(client)
    response = client.post("/auth/login", data={"username": "a" * (3 * 1024 * 1024), "csrf_token": token})
    assert response.status_code == 413 and "Too large" in text_of(response)


def test_error_pages_are_friendly(app, client):
    page = client.get("/nowhere")
    assert page.status_code == 404 and "Page not found" in text_of(page)
    sign_in(client, "trainee")
    denied = client.get("/admin/users")
    assert denied.status_code == 403 and "Access denied" in text_of(denied)
    assert client.get("/auth/logout").status_code == 405


def test_unexpected_errors_render_the_500_page(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.route("/bad")
    def bad():
        abort(400)

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500 and "Something went wrong" in text_of(response)
    assert "RuntimeError" not in text_of(response)
    assert client.get("/bad").status_code == 400


@pytest.mark.parametrize("remember", [False, True])
def test_production_cookies_are_secure(monkeypatch, remember):
    monkeypatch.setenv("TRAINER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", generate_private_pem())
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/auth/login", base_url="https://trainer.example")
    assert "max-age" in response.headers.get("Strict-Transport-Security", "")

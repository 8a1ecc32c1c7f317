"""Languages: how one is chosen, the switcher, complete and fresh catalogs, and no English left on pages."""
from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.helpers import post_form, sign_in, text_of
from trainer.cli import KEYWORDS
from trainer.config import ROOT
from trainer.extensions import db
from trainer.models import User
from trainer.services import attempts

TRANSLATIONS = ROOT / "translations"
LANGUAGES = ["mn", "ru"]


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def html_lang(response) -> str:
    text = text_of(response)
    start = text.index('<html lang="') + len('<html lang="')
    return text[start:text.index('"', start)]


def test_default_is_english(client):
    assert html_lang(client.get("/auth/login")) == "en"


def test_accept_language_then_cookie_then_user_setting(client, users):
    assert html_lang(client.get("/auth/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})) == "ru"
    assert html_lang(client.get("/auth/login", headers={"Accept-Language": "xx;q=1,%%garbage"})) == "en"
    client.set_cookie("lang", "mn")
    assert html_lang(client.get("/auth/login", headers={"Accept-Language": "ru"})) == "mn"
    client.set_cookie("lang", "klingon")
    assert html_lang(client.get("/auth/login", headers={"Accept-Language": "ru"})) == "ru"
    db.session.get(User, users["trainee"]).preferred_language = "mn"
    db.session.commit()
    sign_in(client, "trainee")
    client.set_cookie("lang", "ru")
    assert html_lang(client.get("/")) == "mn"


def test_switcher_sets_cookie_for_visitors(client):
    response = post_form(client, "/language", {"lang": "ru", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "lang=ru" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert html_lang(client.get("/auth/login")) == "ru"


def test_switcher_saves_the_signed_in_persons_setting(client, users):
    sign_in(client, "trainer")
    post_form(client, "/language", {"lang": "mn", "next": "/profile"}, token_from="/")
    assert db.session.get(User, users["trainer"]).preferred_language == "mn"
    assert html_lang(client.get("/profile")) == "mn"


def test_unknown_language_code_gets_a_message(client):
    response = post_form(client, "/language", {"lang": "xx", "next": "/auth/login"}, follow_redirects=True)
    assert response.status_code == 200
    assert "That language is not available." in text_of(response)
    assert html_lang(response) == "en"
    long_code = post_form(client, "/language", {"lang": "x" * 500, "next": "https://evil.example/"})
    assert long_code.status_code == 302 and long_code.headers["Location"] == "/"


def test_profile_language_setting(client, users):
    sign_in(client, "coordinator")
    post_form(client, "/profile", {"preferred_language": "ru"})
    assert db.session.get(User, users["coordinator"]).preferred_language == "ru"
    post_form(client, "/profile", {"preferred_language": ""})
    db.session.expire_all()
    assert db.session.get(User, users["coordinator"]).preferred_language is None
    bad = post_form(client, "/profile", {"preferred_language": "de"})
    assert "Not a valid choice" in text_of(bad)


def test_dates_follow_the_readers_language(client, users):
    db.session.get(User, users["trainee"]).last_login_at = datetime(2026, 11, 3, 4, 5, tzinfo=timezone.utc)
    db.session.commit()
    sign_in(client, "trainee")
    assert "Nov 3, 2026" in text_of(client.get("/"))
    client.set_cookie("lang", "ru")
    db.session.get(User, users["trainee"]).preferred_language = None
    assert "3 нояб. 2026" in text_of(client.get("/"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete(lang):
    missing = [m.id for m in catalog(lang) if m.id and (
        m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))]
    assert missing == [], f"{lang}: untranslated or fuzzy entries"


def test_template_matches_the_code():
    """translations/messages.pot lists exactly the strings the code and templates use."""
    method_map = [("trainer/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
    found = {message[2] if isinstance(message[2], str) else message[2][0]
             for message in extract_from_dir(str(ROOT), method_map, keywords=keywords,
                                             directory_filter=lambda path: not Path(path).name.startswith("."))}
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        listed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert found - listed == set(), "run: flask translate extract && flask translate update"
    assert listed - found == set(), "messages.pot lists strings the code no longer uses: re-extract"
    assert set(KEYWORDS) <= set(keywords)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_is_fresh(lang):
    def entries(messages):
        return {(m.id if isinstance(m.id, str) else tuple(m.id)):
                (m.string if isinstance(m.string, str) else tuple(m.string)) for m in messages if m.id}

    po = entries(m for m in catalog(lang) if not m.fuzzy)
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        mo = entries(read_mo(handle))
    assert mo == po, "run: flask translate compile"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_gettext_msgfmt_check_passes(lang):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (apt-get install gettext)"
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes plus labels carried in attributes."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


PAGES_BY_ROLE = {
    None: ["/auth/login", "/no-such-page"],
    "trainee": ["/", "/profile", "/auth/password", "/admin/users", "/learn/", "/learn/modules/basics",
                "/learn/modules/basics/lessons/kinds", "/learn/quizzes/basics-quiz", "/learn/history", "{question}",
                "{submit}", "{result}"],
    "admin": ["/", "/admin/users", "/admin/users/new", "/admin/agencies", "/admin/agencies/new",
              "/admin/stations", "/admin/stations/new", "/admin/provinces", "/admin/provinces/1"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", list(PAGES_BY_ROLE))
def test_no_english_left_on_translated_pages(app, client, users, lang, role):
    english = {m.id for m in catalog(lang) if m.id and isinstance(m.id, str) and m.string != m.id
               and "%(" not in m.id}
    client.set_cookie("lang", lang)
    if role:
        sign_in(client, role)
    content = app.extensions["content"].get()
    done = attempts.start(db.session, content, users["trainee"], "basics-quiz", "en")
    attempts.submit(db.session, content, users["trainee"], done.id)
    open_attempt = attempts.start(db.session, content, users["trainee"], "basics-quiz", "en")
    places = {"question": f"/learn/attempts/{open_attempt.id}/questions/1",
              "submit": f"/learn/attempts/{open_attempt.id}/submit", "result": f"/learn/attempts/{done.id}"}
    for path in (p.format(**places) for p in PAGES_BY_ROLE[role]):
        parser = VisibleText()
        parser.feed(text_of(client.get(path)))
        left = sorted(set(parser.texts) & english)
        assert left == [], f"{path} in {lang} still shows English: {left}"

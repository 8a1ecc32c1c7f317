"""The content catalogs: extraction uses the app's contexts, is stable, merges changed English as fuzzy, compiles
to what the app loads, and counts coverage."""
from __future__ import annotations

import gettext
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from pydantic import BaseModel

from trainer.config import ROOT
from trainer.content import catalog
from trainer.content.catalog import Entry
from trainer.content.i18n import ContentCatalogs, Text
from trainer.content.loader import load_content
from trainer.content.store import ContentStore

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
FIXED_DATE = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)


def entries_of(root: Path) -> list[Entry]:
    return catalog.content_entries(load_content(root))


def po_path(folder: Path, lang: str = "ru") -> Path:
    return folder / lang / "LC_MESSAGES" / "content.po"


def translate_all(path: Path, prefix: str = "[ru] ") -> None:
    po = catalog.read_catalog(path, "ru")
    for message in po:
        if message.id:
            message.string = prefix + message.id
    path.write_bytes(catalog.render(po))


def compile_all(folder: Path) -> None:
    for path in folder.glob("*/LC_MESSAGES/content.po"):
        catalog.compile_po(path, path.with_suffix(".mo"))


def msgfmt_check(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (apt-get install gettext)"
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------------------
# Extraction


def test_extraction_covers_every_kind_of_string_with_the_apps_contexts():
    entries = entries_of(FIXTURE)
    keys = {(e.context, e.msgid) for e in entries}
    module = {e.context: e.module for e in entries}
    expected = {
        ("module/basics/title", "Basics of document checks"),
        ("module/basics/summary", "A small module used by the tests."),
        ("module/basics/objectives", "Tell a counterfeit from a forgery"),
        ("module/basics/objectives", "Compute an MRZ check digit"),
        ("module/basics/audience", "Border guards"),
        ("module/basics/lessons/kinds/title", "Kinds of fraud"),
        ("module/basics/lesson/kinds", "A counterfeit is made to look like a genuine document."),
        ("module/basics/lesson/kinds", "## Forgery"),
        ("module/basics/lesson/kinds", "- Photo substitution\n- Page substitution"),
        ("quiz/basics-quiz/title", "Basics quiz"),
        ("quiz/basics-quiz/instructions", "Answer every question."),
        ("quiz/basics-quiz/feedback_bands/1/text", "Well done."),
        ("quiz/basics-quiz/question/counterfeit/stem", "What is a counterfeit?"),
        ("quiz/basics-quiz/question/counterfeit/explanation", "It imitates a genuine document."),
        ("quiz/basics-quiz/question/counterfeit/options/made/text", "A document made to look genuine"),
        ("quiz/basics-quiz/question/counterfeit/options/altered/feedback", "That is a forgery."),
        ("quiz/basics-quiz/question/mrz-compare/feedback_true", "No, check digits miss some changes."),
        ("quiz/basics-quiz/question/fraud-match/prompts/p1/text", "Portrait replaced"),
        ("quiz/basics-quiz/question/fraud-match/matches/fog/text", "Fraudulently obtained genuine"),
        ("quiz/basics-quiz/question/check-steps/items/weights/text", "Multiply by 7, 3, 1"),
        ("quiz/basics-quiz/question/specimen-code/accepted", "UTO"),
        ("scenario/airport-companion/title", "A traveller and her companion"),
        ("scenario/airport-companion/setting", "Chinggis Khaan International Airport, departures"),
        ("scenario/airport-companion/nodes/desk/speaker", "Companion"),
        ("scenario/airport-companion/nodes/desk/choices/separate/feedback",
         "A discreet, routine-looking separation keeps her safe and lets her speak."),
        ("scenario/airport-companion/nodes/desk/choices/stamp/critical_reason",
         "Releasing a likely victim without screening."),
        ("scenario/airport-companion/nodes/referred/debrief",
         "You separated her safely, listened, and referred her. This is the first responder's job."),
        ("indicators/groups/general/label", "General indicators"),
        ("indicators/indicators/false-documents/label", "False or fraudulent documents"),
    }
    assert expected <= keys
    situation = next(e for e in entries if e.context == "scenario/airport-companion/nodes/desk/situation")
    assert situation.msgid.startswith("At the exit control desk") and situation.msgid.endswith("for her.\"\n")
    assert not any("/pools/" in e.context for e in entries) and all(e.msgid for e in entries)
    assert len(keys) == len(entries)  # each (context, English) once
    # quizzes count under their module, scenarios under theirs, indicator labels under "indicators"
    assert module["quiz/basics-quiz/title"] == "basics"
    assert module["scenario/airport-companion/title"] == "interview"
    assert module["indicators/groups/general/label"] == "indicators"
    assert [e.module for e in entries] == sorted((e.module for e in entries),
                                                 key=["basics", "timed", "interview", "indicators"].index)


def test_entries_say_where_each_string_comes_from():
    by_key = {(e.context, e.msgid): e for e in entries_of(FIXTURE)}
    assert by_key["module/basics/title", "Basics of document checks"].locations == (
        ("content/basics/module.yaml", 3),)
    assert by_key["module/basics/lesson/kinds", "## Forgery"].locations == (("content/basics/lessons/01-kinds.md", 3),)
    assert by_key["module/basics/lesson/digits", "Compare the MRZ with the visual zone."].locations == (
        ("content/basics/lessons/02-digits.md", 7),)
    assert by_key["quiz/basics-quiz/question/counterfeit/options/made/text",
                  "A document made to look genuine"].locations == (("content/basics/assessments/basics-quiz.yaml", 22),)
    assert by_key["indicators/indicators/false-documents/label", "False or fraudulent documents"].locations == (
        ("content/indicators.yaml", 16),)


@pytest.mark.parametrize("root", [FIXTURE, ROOT / "quizzes"], ids=["fixture", "quizzes"])
def test_every_string_the_app_looks_up_is_extracted_and_nothing_else(root, tmp_path):
    """Translate every extracted entry, compile, and read all the content through the store in that language:
    every string comes back translated, and the store asks for exactly the extracted (context, English) pairs."""
    entries = entries_of(root)
    pot = catalog.build_catalog(entries, FIXED_DATE)
    po = po_path(tmp_path)
    catalog.update_po(pot, po, "ru")
    translate_all(po)
    compile_all(tmp_path)

    store = ContentStore(root, tmp_path)
    content = store.get()
    asked: set[tuple[str, str]] = set()
    lookup = store.catalogs.lookup

    def recording(lang, context, english):
        if english:
            asked.add((context, english))
        return lookup(lang, context, english)

    store.catalogs.lookup = recording
    texts: list[Text] = []
    for module in content.ordered_modules():
        texts += collect_texts(store.module(module.id, "ru"))
        for ref in module.lessons:
            blocks = store.lesson(module.id, ref.id, "ru", lambda path: path)
            assert blocks and not any(block.untranslated for block in blocks), (module.id, ref.id)
    for quiz_id in content.quizzes:
        texts += collect_texts(store.quiz(quiz_id, "ru"))
    for scenario_id in content.scenarios:
        texts += collect_texts(store.scenario(scenario_id, "ru"))
    labels = store.indicator_labels("ru")
    assert labels and all(label.startswith("[ru] ") for label in labels.values())

    untranslated = [str(t) for t in texts if t.untranslated or not t.startswith("[ru] ")]
    assert texts and untranslated == []
    assert asked == {(e.context, e.msgid) for e in entries}


def collect_texts(value) -> list[Text]:
    if isinstance(value, Text):
        return [value]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in collect_texts(getattr(value, name))]
    if isinstance(value, tuple):
        return [t for item in value for t in collect_texts(item)]
    return []


def test_reextracting_unchanged_content_changes_nothing(tmp_path):
    entries = entries_of(FIXTURE)
    assert catalog.render(catalog.build_catalog(entries, FIXED_DATE)) == catalog.render(
        catalog.build_catalog(entries_of(FIXTURE), FIXED_DATE))
    pot = tmp_path / "content.pot"
    pot.write_bytes(catalog.render(catalog.build_catalog(entries, FIXED_DATE)))  # extracted long ago
    before = pot.read_bytes()
    assert catalog.write_pot(entries_of(FIXTURE), pot) is False
    assert pot.read_bytes() == before and b"POT-Creation-Date: 2026-01-02 03:04+0000" in before
    # the languages' catalogs do not change either
    template = catalog.read_catalog(pot)
    assert catalog.update_po(template, po_path(tmp_path), "ru") is True
    translate_all(po_path(tmp_path))
    merged = po_path(tmp_path).read_bytes()
    assert catalog.update_po(template, po_path(tmp_path), "ru") is False
    assert po_path(tmp_path).read_bytes() == merged
    # a real change rewrites the template with a new date
    assert catalog.write_pot(entries[1:], pot) is True
    assert b"2026-01-02 03:04" not in pot.read_bytes()


def test_template_and_catalogs_pass_msgfmt_check(tmp_path):
    entries = entries_of(FIXTURE) + [Entry("quiz/q/question/p/stem", "Pass with 80% of answers {right}?", "basics",
                                           (("content/basics/assessments/q.yaml", 1),))]
    pot = tmp_path / "content.pot"
    catalog.write_pot(entries, pot)
    text = pot.read_text(encoding="utf-8")
    assert 'msgctxt "module/basics/title"' in text and "#: content/basics/module.yaml:3" in text
    assert "python-format" not in text and "python-brace-format" not in text
    msgfmt_check(pot)
    catalog.update_po(catalog.read_catalog(pot), po_path(tmp_path), "ru")
    header = po_path(tmp_path).read_text(encoding="utf-8")
    assert '"Language: ru\\n"' in header and '"Plural-Forms: nplurals=3;' in header
    translate_all(po_path(tmp_path), prefix="Перевод: ")
    msgfmt_check(po_path(tmp_path))


# ---------------------------------------------------------------------------------------------------------
# Merging and compiling


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_changed_english_becomes_fuzzy_and_shows_in_english(tmp_path):
    root = copy_fixture(tmp_path)
    folder = tmp_path / "translations"
    pot = folder / "content.pot"
    catalog.write_pot(entries_of(root), pot)
    catalog.update_po(catalog.read_catalog(pot), po_path(folder), "ru")
    translate_all(po_path(folder))

    edit(root / "basics" / "module.yaml", "title: Basics of document checks", "title: Basics of checking documents")
    edit(root / "basics" / "lessons" / "01-kinds.md", "that was altered.", "that someone altered.")
    edit(root / "basics" / "assessments" / "basics-quiz.yaml", "text: Well done.", "text: Well done indeed.")
    catalog.write_pot(entries_of(root), pot)
    catalog.update_po(catalog.read_catalog(pot), po_path(folder), "ru")
    po = catalog.read_catalog(po_path(folder), "ru")

    title = po.get("Basics of checking documents", "module/basics/title")
    assert title.fuzzy and title.string == "[ru] Basics of document checks"
    assert title.previous_id == ["Basics of document checks"]
    block = po.get("A forgery is a genuine document that someone altered.", "module/basics/lesson/kinds")
    assert block.fuzzy and block.string == "[ru] A forgery is a genuine document that was altered."
    band = po.get("Well done indeed.", "quiz/basics-quiz/feedback_bands/1/text")
    assert band.fuzzy and band.string == "[ru] Well done."
    assert po.get("Basics of document checks", "module/basics/title") is None
    fuzzy = sorted(m.context for m in po if m.id and m.fuzzy)
    assert fuzzy == ["module/basics/lesson/kinds", "module/basics/title", "quiz/basics-quiz/feedback_bands/1/text"]
    assert catalog.status(po.get("Basics quiz", "quiz/basics-quiz/title")) == "translated"
    assert '#| msgid "Basics of document checks"' in po_path(folder).read_text(encoding="utf-8")
    msgfmt_check(po_path(folder))

    # compiled without the fuzzy entries: the page shows the new English, marked
    compile_all(folder)
    store = ContentStore(root, folder, language_overrides={"basics": ["ru"]})  # offered although incomplete
    module = store.module("basics", "ru")
    assert module.title == "Basics of checking documents" and module.title.untranslated
    assert module.summary == "[ru] A small module used by the tests." and not module.summary.untranslated
    blocks = store.lesson("basics", "kinds", "ru", lambda path: path)
    assert blocks[2].untranslated and "someone altered" in blocks[2].html
    assert not blocks[0].untranslated and "[ru] A counterfeit" in blocks[0].html
    catalogs = ContentCatalogs(folder)
    assert catalogs.lookup("ru", "quiz/basics-quiz/feedback_bands/1/text", "Well done indeed.").untranslated

    # a translator checks the entry: it is used from then on, and the next update leaves it alone
    po.get("Basics of checking documents", "module/basics/title").flags.discard("fuzzy")
    po_path(folder).write_bytes(catalog.render(po))
    assert catalog.read_catalog(po_path(folder), "ru").get("Basics of checking documents",
                                                           "module/basics/title").previous_id == []
    catalog.update_po(catalog.read_catalog(pot), po_path(folder), "ru")
    compile_all(folder)
    assert ContentStore(root, folder, language_overrides={"basics": ["ru"]}).module("basics", "ru").title == \
        "[ru] Basics of document checks"


def entry(context: str, text: str) -> Entry:
    return Entry(context, text, "m", (("content/m/module.yaml", 1),))


def test_merge_prefers_the_same_context_and_keeps_what_is_gone(tmp_path):
    path = po_path(tmp_path)
    first = catalog.build_catalog([entry("a/title", "Hello world"), entry("b/title", "Gone soon"),
                                   entry("l", "Para one is here."), entry("l", "Para two is there.")], FIXED_DATE)
    catalog.update_po(first, path, "ru")
    translate_all(path)
    second = catalog.build_catalog([entry("a/title", "Hello, wide world"), entry("c/title", "Hello world"),
                                    entry("l", "Para two is there!"), entry("l", "Something else entirely."),
                                    entry("l", "Para one is here.")], FIXED_DATE)
    catalog.update_po(second, path, "ru")
    po = catalog.read_catalog(path, "ru")
    # the edited field inherits its own old translation, not the most alike string elsewhere
    assert po.get("Hello, wide world", "a/title").string == "[ru] Hello world"
    # the same English in a new context is offered, fuzzy
    copied = po.get("Hello world", "c/title")
    assert copied.fuzzy and copied.string == "[ru] Hello world"
    # in a lesson, an edited paragraph takes the most alike one; a new one takes nothing
    assert po.get("Para two is there!", "l").string == "[ru] Para two is there."
    assert catalog.status(po.get("Something else entirely.", "l")) == "missing"
    assert catalog.status(po.get("Para one is here.", "l")) == "translated"
    # what is gone stays as obsolete (never compiled) and comes back if the English does
    assert [m.id for m in po.obsolete.values()] == ["Gone soon"]
    assert "#~ msgid \"Gone soon\"" in path.read_text(encoding="utf-8")
    catalog.compile_po(path, path.with_suffix(".mo"))
    assert ContentCatalogs(tmp_path).lookup("ru", "b/title", "Gone soon").untranslated
    catalog.update_po(first, path, "ru")
    revived = catalog.read_catalog(path, "ru").get("Gone soon", "b/title")
    assert catalog.status(revived) == "translated" and revived.string == "[ru] Gone soon"
    msgfmt_check(path)


def test_compiled_catalog_is_what_the_app_reads(tmp_path):
    """extract -> a new ru catalog -> translate one entry, make another fuzzy -> compile -> ContentCatalogs."""
    pot = tmp_path / "content.pot"
    catalog.write_pot(entries_of(FIXTURE), pot)
    catalog.update_po(catalog.read_catalog(pot), po_path(tmp_path), "ru")
    po = catalog.read_catalog(po_path(tmp_path), "ru")
    po.get("Basics quiz", "quiz/basics-quiz/title").string = "Основы: тест"
    stem = po.get("What is a counterfeit?", "quiz/basics-quiz/question/counterfeit/stem")
    stem.string, stem.flags = "Что такое подделка?", {"fuzzy"}
    po_path(tmp_path).write_bytes(catalog.render(po))
    assert catalog.compile_po(po_path(tmp_path), po_path(tmp_path).with_suffix(".mo")) is True
    assert catalog.compile_po(po_path(tmp_path), po_path(tmp_path).with_suffix(".mo")) is False

    catalogs = ContentCatalogs(tmp_path)
    found = catalogs.lookup("ru", "quiz/basics-quiz/title", "Basics quiz")
    assert found == "Основы: тест" and not found.untranslated
    fuzzy = catalogs.lookup("ru", "quiz/basics-quiz/question/counterfeit/stem", "What is a counterfeit?")
    assert fuzzy == "What is a counterfeit?" and fuzzy.untranslated
    missing = catalogs.lookup("ru", "quiz/basics-quiz/instructions", "Answer every question.")
    assert missing == "Answer every question." and missing.untranslated


# ---------------------------------------------------------------------------------------------------------
# Coverage


def test_content_coverage_per_module(tmp_path):
    entries = entries_of(FIXTURE)
    totals = {}
    for item in entries:
        totals[item.module] = totals.get(item.module, 0) + 1
    catalog.update_po(catalog.build_catalog(entries, FIXED_DATE), po_path(tmp_path), "ru")
    po = catalog.read_catalog(po_path(tmp_path), "ru")
    po.get("Basics of document checks", "module/basics/title").string = "Основы"
    po.get("Kinds of fraud", "module/basics/lessons/kinds/title").string = "Виды"
    objective = po.get("Compute an MRZ check digit", "module/basics/objectives")
    objective.string, objective.flags = "Посчитать", {"fuzzy"}
    po.get("Debt bondage", "indicators/indicators/debt-bondage/label").string = "Долговая кабала"

    rows = catalog.content_coverage(entries, po, "ru")
    assert [row.module for row in rows] == ["basics", "timed", "interview", "indicators"]
    by_module = {row.module: row for row in rows}
    basics = by_module["basics"]
    assert (basics.translated, basics.fuzzy, basics.missing) == (2, 1, totals["basics"] - 3)
    assert basics.percent == round(200 / totals["basics"], 1)
    assert (by_module["indicators"].translated, by_module["indicators"].missing) == (1, totals["indicators"] - 1)
    assert by_module["timed"].as_dict() == {"language": "ru", "catalog": "content", "module": "timed",
                                            "translated": 0, "fuzzy": 0, "missing": totals["timed"],
                                            "total": totals["timed"], "percent": 0.0}
    # no catalog at all: everything is missing
    assert all(row.missing == row.total for row in catalog.content_coverage(entries, None, "mn"))


def test_ui_coverage_counts_against_the_template():
    template = Catalog()
    for msgid in ("Sign in", "Sign out", "Profile", ("%(num)d attempt", "%(num)d attempts")):
        template.add(msgid)
    po = Catalog(locale="ru")
    po.add("Sign in", "Войти")
    po.add("Sign out", "Выйти", flags=["fuzzy"])
    po.add(("%(num)d attempt", "%(num)d attempts"), ("%(num)d попытка", "%(num)d попытки", "%(num)d попыток"))
    po.add("Obsolete", "Устарело")
    row = catalog.ui_coverage(template, po, "ru")
    assert (row.module, row.catalog, row.translated, row.fuzzy, row.missing, row.percent) == ("ui", "ui", 2, 1, 1,
                                                                                             50.0)


# ---------------------------------------------------------------------------------------------------------
# The real catalogs under translations/


TRANSLATIONS = ROOT / "translations"
REFRESH = "run: flask translate extract && flask translate update && flask translate compile"


def test_content_template_matches_the_content():
    """translations/content.pot lists exactly the strings of quizzes/ (as test_i18n checks messages.pot)."""
    listed = {(m.context, m.id) for m in catalog.read_catalog(TRANSLATIONS / "content.pot") if m.id}
    assert listed == {(e.context, e.msgid) for e in entries_of(ROOT / "quizzes")}, REFRESH
    msgfmt_check(TRANSLATIONS / "content.pot")


@pytest.mark.parametrize("lang", ["mn", "ru"])
def test_content_catalog_is_merged_compiled_and_passes_msgfmt(lang):
    path = po_path(TRANSLATIONS, lang)
    po = catalog.read_catalog(path, lang)
    template = catalog.read_catalog(TRANSLATIONS / "content.pot")
    assert {(m.context, m.id) for m in po if m.id} == {(m.context, m.id) for m in template if m.id}, REFRESH
    with open(path.with_suffix(".mo"), "rb") as handle:
        compiled = {key: value for key, value in gettext.GNUTranslations(handle)._catalog.items() if key}
    assert compiled == {f"{m.context}\x04{m.id}": m.string for m in po
                        if m.id and catalog.status(m) == "translated"}, REFRESH
    msgfmt_check(path)


@pytest.mark.parametrize("lang", ["mn", "ru"])
def test_the_whole_course_is_translated(lang):
    """Every module, the indicator list and the interface at 100% in each shipped language (issue 5)."""
    rows = catalog.coverage_report(entries_of(ROOT / "quizzes"), TRANSLATIONS, [lang])
    incomplete = [(row.module, row.translated, row.total) for row in rows if row.percent < 100]
    assert incomplete == [], "translate the missing and fuzzy entries: flask translate coverage"
    assert {row.module for row in rows} >= {"trafficking-basics", "border-indicators", "fraudulent-documents",
                                           "document-examination", "victim-interviewing", "referral-rights",
                                           "training-of-trainers", "indicators", "ui"}

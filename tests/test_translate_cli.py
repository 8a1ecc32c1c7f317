"""flask translate extract|init|update|compile|coverage: the UI catalog and the content catalogs, in a folder of
the test's own (never the real translations/)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trainer.config import ROOT
from trainer.content import catalog
from trainer.content.i18n import ContentCatalogs

FIXTURE = Path(__file__).parent / "fixtures" / "content"
MODULES = ["basics", "timed", "interview", "indicators"]  # the fixture's modules in catalogue order, then indicators


@pytest.fixture(autouse=True)
def _real_translations_untouched():
    real = ROOT / "translations"
    before = {path: path.stat().st_mtime_ns for path in real.rglob("*")}
    yield
    assert {path: path.stat().st_mtime_ns for path in real.rglob("*")} == before


def run(runner, *args: str):
    result = runner.invoke(args=["translate", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def po(folder: Path, lang: str, domain: str = "content") -> Path:
    return folder / lang / "LC_MESSAGES" / f"{domain}.po"


def test_extract_init_update_compile_and_coverage(runner, tmp_path):
    folder = str(tmp_path)
    output = run(runner, "extract", "--folder", folder)
    assert "messages.pot: written" in output and "content.pot: written" in output
    pot_bytes = {name: (tmp_path / name).read_bytes() for name in ("messages.pot", "content.pot")}
    assert b'msgctxt "module/basics/title"' in pot_bytes["content.pot"]
    assert b'msgid "Not yet translated"' in pot_bytes["messages.pot"]

    again = run(runner, "extract", "--folder", folder)
    assert "messages.pot: unchanged" in again and "content.pot: unchanged" in again
    assert {name: (tmp_path / name).read_bytes() for name in pot_bytes} == pot_bytes

    run(runner, "init", "ru", "--folder", folder)
    assert po(tmp_path, "ru", "messages").is_file()
    header = po(tmp_path, "ru").read_text(encoding="utf-8")
    assert '"Language: ru\\n"' in header and '"Plural-Forms: nplurals=3;' in header

    # a language with only a UI catalog gets its content catalog on update
    po(tmp_path, "mn", "messages").parent.mkdir(parents=True)
    shutil.copy(po(tmp_path, "ru", "messages"), po(tmp_path, "mn", "messages"))
    translated = catalog.read_catalog(po(tmp_path, "ru"), "ru")
    translated.get("Basics of document checks", "module/basics/title").string = "Основы проверки документов"
    po(tmp_path, "ru").write_bytes(catalog.render(translated))
    output = run(runner, "update", "--folder", folder)
    assert po(tmp_path, "mn").is_file() and "ru/LC_MESSAGES/content.po: unchanged (1 translated, 0 fuzzy" in output
    assert '"Language: mn\\n"' in po(tmp_path, "mn").read_text(encoding="utf-8")

    run(runner, "compile", "--folder", folder)
    assert (tmp_path / "ru" / "LC_MESSAGES" / "messages.mo").is_file()
    found = ContentCatalogs(tmp_path).lookup("ru", "module/basics/title", "Basics of document checks")
    assert found == "Основы проверки документов" and not found.untranslated

    rows = json.loads(run(runner, "coverage", "--json", "--folder", folder))
    assert [(row["language"], row["module"]) for row in rows] == [
        (lang, module) for lang in ("mn", "ru") for module in [*MODULES, "ui"]]
    ru_basics = next(row for row in rows if row["language"] == "ru" and row["module"] == "basics")
    assert (ru_basics["translated"], ru_basics["fuzzy"]) == (1, 0) and ru_basics["missing"] == ru_basics["total"] - 1
    ui = next(row for row in rows if row["language"] == "ru" and row["module"] == "ui")
    assert ui["catalog"] == "ui" and ui["total"] > 100 and ui["translated"] == 0

    table = run(runner, "coverage", "--folder", folder).splitlines()
    assert table[0].split() == ["language", "module", "translated", "fuzzy", "missing", "percent"]
    assert table[1].split()[:3] == ["mn", "basics", "0"] and table[1].endswith("0.0%")
    assert len(table) == 1 + len(rows)


def test_update_marks_changed_english_fuzzy(runner, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    folder = tmp_path / "translations"
    run(runner, "extract", "--folder", str(folder), "--content", str(content))
    run(runner, "init", "ru", "--folder", str(folder))
    translated = catalog.read_catalog(po(folder, "ru"), "ru")
    translated.get("Basics quiz", "quiz/basics-quiz/title").string = "Тест по основам"
    po(folder, "ru").write_bytes(catalog.render(translated))

    quiz = content / "basics" / "assessments" / "basics-quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("title: Basics quiz", "title: The basics quiz"),
                    encoding="utf-8")
    run(runner, "extract", "--folder", str(folder), "--content", str(content))
    output = run(runner, "update", "--folder", str(folder))
    assert "(0 translated, 1 fuzzy" in output
    entry = catalog.read_catalog(po(folder, "ru"), "ru").get("The basics quiz", "quiz/basics-quiz/title")
    assert entry.fuzzy and entry.string == "Тест по основам" and entry.previous_id == ["Basics quiz"]

    run(runner, "compile", "--folder", str(folder))
    shown = ContentCatalogs(folder).lookup("ru", "quiz/basics-quiz/title", "The basics quiz")
    assert shown == "The basics quiz" and shown.untranslated
    rows = json.loads(run(runner, "coverage", "--json", "--folder", str(folder), "--content", str(content)))
    basics = next(row for row in rows if row["module"] == "basics")
    assert (basics["translated"], basics["fuzzy"]) == (0, 1)


def test_helpful_failures(runner, tmp_path):
    result = runner.invoke(args=["translate", "update", "--folder", str(tmp_path)])
    assert result.exit_code != 0 and "run flask translate extract first" in result.output
    result = runner.invoke(args=["translate", "init", "xx-nowhere", "--folder", str(tmp_path)])
    assert result.exit_code != 0 and "unknown language" in result.output
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE, broken)
    (broken / "basics" / "module.yaml").write_text("id: basics\n", encoding="utf-8")
    result = runner.invoke(args=["translate", "extract", "--folder", str(tmp_path), "--content", str(broken)])
    assert result.exit_code != 0 and "problem(s) in" in result.output
    assert not (tmp_path / "content.pot").exists()
    run(runner, "extract", "--folder", str(tmp_path))
    run(runner, "init", "ru", "--folder", str(tmp_path))
    result = runner.invoke(args=["translate", "init", "ru", "--folder", str(tmp_path)])
    assert result.exit_code != 0 and "already has its catalogs" in result.output

"""The terminology glossary, and every shipped translation following it (UI and course content)."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from trainer.content import glossary

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"


def test_the_glossary_parses_and_matches_inflected_forms():
    terms = glossary.parse("term,mn,ru,note\ntraffick*,худалдаал*,торгов* людьми,x\ndata page*,мэдээллийн хууд*,"
                           "страниц* данных | страниц* с данными,\n")
    trafficking, data_page = terms
    assert trafficking.source_pattern().search("Victims of human trafficking")
    assert not trafficking.source_pattern().search("road traffic")
    assert trafficking.target_pattern("ru").search("жертвы торговли людьми")
    assert trafficking.target_pattern("mn").search("хүн худалдаалагч")
    assert data_page.target_pattern("ru").search("на странице с данными")
    assert data_page.target_pattern("mn").search("мэдээллийн хуудсыг")
    found = glossary.violations(terms, "ru", [(None, "Trafficking is a crime.", "Это преступление."),
                                              (None, "Trafficking is a crime.", "")])
    assert len(found) == 1 and "торгов* людьми" in str(found[0])


@pytest.mark.parametrize("text,problem", [
    ("term,mn\nx,y\n", "header"), ("term,mn,ru,note\n,a,b,\n", "empty"),
    ("term,mn,ru,note\nx,a,b,\nX,c,d,\n", "twice"), ("term,mn,ru,note\nx | ,a,b,\n", "empty alternative")])
def test_a_broken_glossary_is_reported_with_its_line(text, problem):
    with pytest.raises(glossary.GlossaryError) as error:
        glossary.parse(text)
    assert problem in str(error.value)


def _pairs(path: Path):
    with open(path, "rb") as handle:
        for message in read_po(handle):
            if message.id and not message.fuzzy:
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
                yield message.context, msgid, msgstr


@pytest.mark.parametrize("lang", ["mn", "ru"])
@pytest.mark.parametrize("domain", ["messages", "content"])
def test_translations_use_the_glossary_terms(lang, domain):
    terms = glossary.load(TRANSLATIONS / "glossary.csv")
    found = glossary.violations(terms, lang, _pairs(TRANSLATIONS / lang / "LC_MESSAGES" / f"{domain}.po"))
    assert not found, "\n".join(str(v) for v in found[:20])

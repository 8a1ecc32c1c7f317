"""Content strings are looked up in the reader's language by a stable context, falling back to English."""
from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from trainer.content import catalog as content_catalog
from trainer.content.i18n import ContentCatalogs, localize, localize_quiz, quiz_strings
from trainer.content.loader import load_content
from trainer.content.store import ContentStore

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"


def test_lookup_and_fallback(content_translations):
    catalogs = ContentCatalogs(content_translations)
    found = catalogs.lookup("ru", "module/basics/title", "Basics of document checks")
    assert found == "Основы проверки документов" and not found.untranslated
    missing = catalogs.lookup("ru", "module/basics/summary", "A small module used by the tests.")
    assert missing == "A small module used by the tests." and missing.untranslated
    # the same English in another context is a different entry
    assert catalogs.lookup("ru", "module/timed/title", "Basics of document checks").untranslated
    # fuzzy entries are not compiled, so they fall back too
    fuzzy = catalogs.lookup("ru", "quiz/basics-quiz/question/digit/stem", "What is the check digit of 520727?")
    assert fuzzy.untranslated and fuzzy == "What is the check digit of 520727?"
    english = catalogs.lookup("en", "module/basics/summary", "A small module used by the tests.")
    assert not english.untranslated
    assert catalogs.lookup("mn", "module/basics/title", "Basics of document checks").untranslated


def test_localize_walks_nested_fields(content_translations):
    content = load_content(FIXTURE)
    quiz = content.quizzes["basics-quiz"]
    question = quiz.pools[0].questions[0]
    ru = localize(question, "quiz/basics-quiz/question/counterfeit", "ru", ContentCatalogs(content_translations))
    assert ru.stem == "Что такое контрафактный документ?"
    assert ru.options[0].text == "Документ, изготовленный под подлинный" and not ru.options[0].text.untranslated
    assert ru.options[1].text.untranslated and ru.explanation.untranslated
    assert question.stem == "What is a counterfeit?"  # the original is untouched


def test_translated_accepted_answers_add_to_the_english_ones(content_translations):
    quiz = load_content(FIXTURE).quizzes["basics-quiz"]
    question = next(q for q in quiz.pools[1].questions if q.id == "specimen-code")
    ru = localize(question, "quiz/basics-quiz/question/specimen-code", "ru", ContentCatalogs(content_translations))
    assert ru.accepted == ("УТО", "UTO")  # the reader's language first: the review shows the first


def test_contexts_are_stable_and_use_ids(content_translations):
    quiz = load_content(FIXTURE).quizzes["basics-quiz"]
    contexts = {c for c, _ in quiz_strings(quiz)}
    assert {"quiz/basics-quiz/title", "quiz/basics-quiz/feedback_bands/0/text",
            "quiz/basics-quiz/question/counterfeit/options/made/text"} <= contexts
    assert not any("/pools/" in c for c in contexts)
    # the same contexts find the translations when a whole quiz is localized
    ru = localize_quiz(quiz, "ru", ContentCatalogs(content_translations))
    assert ru.pools[0].questions[0].stem == "Что такое контрафактный документ?"


def test_lesson_blocks_are_translated_and_marked(content_translations):
    store = ContentStore(FIXTURE, content_translations, language_overrides={"basics": ["ru"]})
    blocks = store.lesson("basics", "kinds", "ru", lambda p: f"/media/{p}")
    assert blocks[0].html == "<p>Поддельный документ изготавливается так, чтобы выглядеть подлинным.</p>\n"
    assert not blocks[0].untranslated
    assert blocks[1].html == '<h2 id="forgery">Подделка</h2>\n'
    assert blocks[2].untranslated and "genuine document that was altered" in blocks[2].html
    assert 'src="/media/specimen.svg"' in blocks[3].html
    assert store.lesson("basics", "kinds", "ru", lambda p: p) is blocks  # rendered once, then cached


def test_a_module_is_offered_in_a_language_only_when_fully_translated_unless_configured(content_translations,
                                                                                       tmp_path):
    store = ContentStore(FIXTURE, content_translations)
    done, total = store.coverage("ru")["basics"]
    assert 0 < done < total  # the fixture catalog is partial
    assert store.offered("basics", "en") and not store.offered("basics", "ru")
    assert store.module("basics", "ru").title == store.module("basics", "en").title  # shown in English
    assert not store.module("basics", "ru").title.untranslated  # whole-module English: nothing to mark
    overridden = ContentStore(FIXTURE, content_translations, language_overrides={"basics": ["ru"]})
    assert overridden.offered("basics", "ru") and not overridden.offered("basics", "mn")
    assert overridden.module("basics", "ru").title != store.module("basics", "en").title
    # A catalog that covers every entry offers the module without any setting.
    full = Catalog(locale="ru", domain="content")
    for entry in content_catalog.content_entries(store.get(), locate=False):
        full.add(entry.msgid, "МН " + entry.msgid, context=entry.context)
    (tmp_path / "ru" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "ru" / "LC_MESSAGES" / "content.mo", "wb") as handle:
        write_mo(handle, full)
    complete = ContentStore(FIXTURE, tmp_path)
    assert complete.offered("basics", "ru") and complete.module("basics", "ru").title.startswith("МН ")

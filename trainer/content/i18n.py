"""Content strings in the reader's language, from gettext catalogs keyed by a stable context.

Each translatable field of a module, lesson, quiz or question is looked up by (context, English text) in
``translations/<lang>/LC_MESSAGES/content.mo``. A missing or fuzzy entry (fuzzy entries are not compiled)
falls back to English, and the returned text says it is untranslated so pages can mark it.
"""
from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path
from threading import Lock

from pydantic import BaseModel

SOURCE_LANGUAGE = "en"


class Text(str):
    """A content string that knows whether it is shown in the reader's language."""

    untranslated: bool = False

    def __new__(cls, value: str, untranslated: bool = False) -> Text:
        text = super().__new__(cls, value)
        text.untranslated = untranslated
        return text


def joined(*parts: str, sep: str = " ") -> Text:
    """Content strings put together (e.g. "prompt → match"); untranslated if any part is."""
    return Text(sep.join(parts), untranslated=any(getattr(p, "untranslated", False) for p in parts))


class ContentCatalogs:
    """The compiled content catalogs under a translations folder, loaded once per language."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, dict[str, str]] = {}
        self._lock = Lock()

    def _catalog(self, lang: str) -> dict[str, str]:
        if lang not in self._loaded:
            with self._lock:
                path = self.folder / lang / "LC_MESSAGES" / "content.mo"
                entries: dict[str, str] = {}
                if path.is_file():
                    with open(path, "rb") as handle:
                        entries = dict(gettext.GNUTranslations(handle)._catalog)  # noqa: SLF001 (read-only)
                self._loaded[lang] = entries
        return self._loaded[lang]

    def lookup(self, lang: str, context: str, english: str) -> Text:
        if lang == SOURCE_LANGUAGE or not english:
            return Text(english)
        found = self._catalog(lang).get(f"{context}\x04{english}")
        return Text(found) if found else Text(english, untranslated=True)


def _item_key(item: object, index: int) -> str:
    return getattr(item, "id", None) or str(index)


def _fields(obj: BaseModel):
    # Fields a model lists in SEPARATE (a quiz's pools) carry their own contexts: see quiz_strings.
    separate = getattr(type(obj), "SEPARATE", ())
    return [name for name in type(obj).model_fields if name not in separate]


def strings(obj: BaseModel, context: str) -> Iterator[tuple[str, str]]:
    """Every (context, English text) a translator sees for ``obj``, nested models included."""
    for name in _fields(obj):
        value = getattr(obj, name)
        if name in type(obj).TRANSLATABLE:
            if isinstance(value, str):
                yield f"{context}/{name}", value
            elif isinstance(value, tuple):
                for text in value:
                    yield f"{context}/{name}", text
        elif isinstance(value, BaseModel) and hasattr(value, "TRANSLATABLE"):
            yield from strings(value, f"{context}/{name}")
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel) and hasattr(item, "TRANSLATABLE"):
                    yield from strings(item, f"{context}/{name}/{_item_key(item, index)}")


def localize(obj: BaseModel, context: str, lang: str, catalogs: ContentCatalogs):
    """A copy of ``obj`` with every translatable string in ``lang`` (as Text), English where missing."""
    changes: dict[str, object] = {}
    additive = getattr(type(obj), "ADDITIVE", ())
    for name in _fields(obj):
        value = getattr(obj, name)
        if name in type(obj).TRANSLATABLE:
            if isinstance(value, str):
                changes[name] = catalogs.lookup(lang, f"{context}/{name}", value)
            elif isinstance(value, tuple):
                translated = tuple(catalogs.lookup(lang, f"{context}/{name}", text) for text in value)
                if name in additive:
                    # e.g. accepted answers: translations add to the English ones, and come first, since the
                    # first is the one a review shows the reader as the right answer
                    translated = tuple(dict.fromkeys([*(t for t in translated if not t.untranslated), *value]))
                changes[name] = translated
        elif isinstance(value, BaseModel) and hasattr(value, "TRANSLATABLE"):
            changes[name] = localize(value, f"{context}/{name}", lang, catalogs)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            changes[name] = tuple(localize(item, f"{context}/{name}/{_item_key(item, index)}", lang, catalogs)
                                  for index, item in enumerate(value))
    return obj.model_copy(update=changes)


def quiz_strings(quiz) -> Iterator[tuple[str, str]]:
    """A quiz's strings: its own under quiz/<id>, each question's under quiz/<id>/question/<qid>, so moving
    a question to another pool keeps its translations."""
    yield from strings(quiz, quiz_context(quiz.id))
    for pool in quiz.pools:
        for question in pool.questions:
            yield from strings(question, question_context(quiz.id, question.id))


def localize_quiz(quiz, lang: str, catalogs: ContentCatalogs):
    pools = tuple(pool.model_copy(update={"questions": tuple(
        localize(q, question_context(quiz.id, q.id), lang, catalogs) for q in pool.questions)})
        for pool in quiz.pools)
    return localize(quiz, quiz_context(quiz.id), lang, catalogs).model_copy(update={"pools": pools})


def module_context(module_id: str) -> str:
    return f"module/{module_id}"


def lesson_context(module_id: str, lesson_id: str) -> str:
    return f"module/{module_id}/lesson/{lesson_id}"


def quiz_context(quiz_id: str) -> str:
    return f"quiz/{quiz_id}"


def question_context(quiz_id: str, question_id: str) -> str:
    return f"quiz/{quiz_id}/question/{question_id}"

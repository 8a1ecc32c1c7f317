"""The loaded content, cached in memory: requests never parse YAML. Reloads only when asked, or, when
``auto_reload`` is on (development), when a file under the content folder changed."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from trainer.content import catalog, i18n, markdown
from trainer.content.loader import ContentSet, load_content
from trainer.content.scenarios import scenario_context
from trainer.content.schema import Module, Quiz


@dataclass(frozen=True)
class RenderedBlock:
    html: str
    untranslated: bool


def _fingerprint(root: Path) -> tuple:
    stamps = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            stat = os.stat(os.path.join(folder, name))
            stamps.append((folder, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))


class ContentStore:
    def __init__(self, root: Path, translations: Path, auto_reload: bool = False,
                 language_overrides: Mapping[str, Iterable[str]] | None = None) -> None:
        self.root = root
        self.overrides = {module: frozenset(langs) for module, langs in (language_overrides or {}).items()}
        self.catalogs = i18n.ContentCatalogs(translations)
        self.auto_reload = auto_reload
        self._content: ContentSet | None = None
        self._fingerprint: tuple | None = None
        self._checked = 0.0
        self._lock = Lock()
        self._rendered: dict[tuple, tuple[RenderedBlock, ...]] = {}

    def get(self) -> ContentSet:
        """The content set; raises ContentError (with every problem) if the files are broken."""
        if self._content is None or (self.auto_reload and self._changed()):
            self.reload()
        return self._content

    def _changed(self) -> bool:
        now = time.monotonic()
        if now - self._checked < 1.0:
            return False
        self._checked = now
        return self._stamp() != self._fingerprint

    def _stamp(self) -> tuple:
        # Compiled content catalogs count too: a new content.mo shows without a restart in development.
        catalogs = sorted(self.catalogs.folder.glob("*/LC_MESSAGES/content.mo"))
        return _fingerprint(self.root), tuple((str(p), p.stat().st_mtime_ns) for p in catalogs)

    def reload(self) -> ContentSet:
        with self._lock:
            content = load_content(self.root)  # raises before anything is replaced
            self._content, self._fingerprint = content, self._stamp()
            self._rendered.clear()
            self.catalogs = i18n.ContentCatalogs(self.catalogs.folder)
        return content

    # --- which languages each module is offered in -------------------------------------------------------------

    def coverage(self, lang: str) -> dict[str, tuple[int, int]]:
        """Per module: (entries the compiled catalog translates, all entries), for ``lang``."""
        def count() -> dict[str, tuple[int, int]]:
            totals: dict[str, list[int]] = {}
            for entry in catalog.content_entries(self.get(), locate=False):
                numbers = totals.setdefault(entry.module, [0, 0])
                numbers[0] += not self.catalogs.lookup(lang, entry.context, entry.msgid).untranslated
                numbers[1] += 1
            return {module: (done, total) for module, (done, total) in totals.items()}

        return self._cached(("coverage", lang), count)

    def offered(self, module_id: str, lang: str) -> bool:
        """English always; another language once the module is fully translated, or when configured so."""
        if lang == i18n.SOURCE_LANGUAGE or lang in self.overrides.get(module_id, ()):
            return True
        done, total = self.coverage(lang).get(module_id, (0, 0))
        return done == total

    def _lang(self, module_id: str | None, lang: str) -> str:
        return lang if module_id is None or self.offered(module_id, lang) else i18n.SOURCE_LANGUAGE

    def module(self, module_id: str, lang: str) -> Module | None:
        module = self.get().modules.get(module_id)
        if module is None:
            return None
        lang = self._lang(module_id, lang)
        return self._cached(("module", module_id, lang), lambda: i18n.localize(
            module, i18n.module_context(module_id), lang, self.catalogs))

    def quiz(self, quiz_id: str, lang: str) -> Quiz | None:
        quiz = self.get().quizzes.get(quiz_id)
        if quiz is None:
            return None
        lang = self._lang(self.get().quiz_module.get(quiz_id), lang)
        return self._cached(("quiz", quiz_id, lang), lambda: i18n.localize_quiz(quiz, lang, self.catalogs))

    def scenario(self, scenario_id: str, lang: str):
        scenario = self.get().scenarios.get(scenario_id)
        if scenario is None:
            return None
        lang = self._lang(self.get().scenario_module.get(scenario_id), lang)
        return self._cached(("scenario", scenario_id, lang), lambda: i18n.localize(
            scenario, scenario_context(scenario_id), lang, self.catalogs))

    def indicator_labels(self, lang: str) -> dict[str, str]:
        """Indicator id -> label in ``lang`` (the shared list in indicators.yaml)."""
        indicators = self.get().indicators
        if indicators is None:
            return {}
        return self._cached(("indicators", lang), lambda: {
            i.id: i.label for i in i18n.localize(indicators, "indicators", lang, self.catalogs).indicators})

    def localize_question(self, quiz_id: str, question, lang: str):
        """A question (from the quiz or an attempt's snapshot) in ``lang``."""
        lang = self._lang(self.get().quiz_module.get(quiz_id), lang)
        return i18n.localize(question, i18n.question_context(quiz_id, question.id), lang, self.catalogs)

    def lesson(self, module_id: str, lesson_id: str, lang: str,
               media_url: Callable[[str], str]) -> tuple[RenderedBlock, ...]:
        lang = self._lang(module_id, lang)

        def render() -> tuple[RenderedBlock, ...]:
            text = self.get().lessons[(module_id, lesson_id)]
            context = i18n.lesson_context(module_id, lesson_id)
            blocks = []
            for block in text.blocks:
                translated = self.catalogs.lookup(lang, context, block.text)
                blocks.append(RenderedBlock(markdown.render(translated, media_url, block.anchor),
                                            translated.untranslated))
            return tuple(blocks)

        return self._cached(("lesson", module_id, lesson_id, lang), render)

    def _cached(self, key: tuple, build: Callable[[], object]):
        content = self.get()
        key = (id(content), *key)
        if key not in self._rendered:
            self._rendered[key] = build()
        return self._rendered[key]

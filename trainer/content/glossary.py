"""The terminology glossary (translations/glossary.csv) and the check that translations follow it.

Each row gives an English term and the agreed Mongolian and Russian terms. A ``*`` ends a stem (any word
ending is accepted, because both languages inflect) and ``|`` separates accepted alternatives. Wherever the
English term occurs in a source string, the translation must contain the agreed term.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("term", "mn", "ru", "note")


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    term: str
    targets: dict[str, str]
    note: str
    line: int

    def source_pattern(self) -> re.Pattern[str]:
        return compile_term(self.term)

    def target_pattern(self, lang: str) -> re.Pattern[str] | None:
        spec = self.targets.get(lang, "").strip()
        return compile_term(spec) if spec else None


@dataclass(frozen=True)
class Violation:
    term: Term
    lang: str
    context: str | None
    msgid: str
    msgstr: str

    def __str__(self) -> str:
        where = f"[{self.context}] " if self.context else ""
        return (f"{self.lang}: {where}has {self.term.term!r} in English but not {self.term.targets[self.lang]!r} "
                f"in the translation (glossary line {self.term.line}): {self.msgstr[:120]!r}")


def compile_term(spec: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a glossary cell: words in sequence, ``*`` = any ending, ``|`` = or."""
    alternatives = []
    for alternative in spec.split("|"):
        words = alternative.split()
        if not words:
            raise GlossaryError(f"empty alternative in {spec!r}")
        parts = [re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else r"(?!\w)") for word in words]
        alternatives.append(r"(?<!\w)" + r"[\s\-]+".join(parts))
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def parse(data: str, name: str = "glossary.csv") -> list[Term]:
    reader = csv.DictReader(io.StringIO(data))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise GlossaryError(f"{name}: the header must be {','.join(COLUMNS)}")
    terms, seen = [], set()
    for row in reader:
        line = reader.line_num
        term = (row["term"] or "").strip()
        if not term:
            raise GlossaryError(f"{name}:{line}: term is empty")
        if term.lower() in seen:
            raise GlossaryError(f"{name}:{line}: {term!r} is listed twice")
        seen.add(term.lower())
        targets = {lang: (row[lang] or "").strip() for lang in ("mn", "ru")}
        try:
            for spec in (term, *filter(None, targets.values())):
                compile_term(spec)
        except GlossaryError as error:
            raise GlossaryError(f"{name}:{line}: {error}") from error
        terms.append(Term(term, targets, (row["note"] or "").strip(), line))
    return terms


def load(path: Path) -> list[Term]:
    return parse(path.read_text(encoding="utf-8-sig"), path.name)


def violations(terms: Iterable[Term], lang: str,
               pairs: Iterable[tuple[str | None, str, str]]) -> list[Violation]:
    """Translated (context, msgid, msgstr) triples whose msgid has a glossary term the msgstr lacks. Empty
    translations are skipped: they are missing, which the coverage report counts, not inconsistent."""
    checks = [(term, term.source_pattern(), term.target_pattern(lang)) for term in terms]
    found = []
    for context, msgid, msgstr in pairs:
        if not msgstr:
            continue
        for term, source, target in checks:
            if target is not None and source.search(msgid) and not target.search(msgstr):
                found.append(Violation(term, lang, context, msgid, msgstr))
    return found

"""The content translation catalogs: extract every translatable string of the course content, merge, compile, count.

``content_entries`` lists each string a reader may see (module and lesson text, quizzes, questions, scenarios,
indicator labels) with the context the app looks it up by (see ``i18n``: the same walkers produce both), its
English text, where it comes from (file and line) and the module it belongs to. ``write_pot`` writes them to
``translations/content.pot``; ``update_po`` merges that template into a language's ``content.po`` (English that
changed makes the entry fuzzy, keeping the old translation for the translator to check); ``compile_po`` writes
the ``content.mo`` that ``i18n.ContentCatalogs`` reads, without fuzzy entries; ``content_coverage`` and
``ui_coverage`` count translated, fuzzy and missing entries.

Files are rewritten only when their text changes, and the template keeps its POT-Creation-Date while its entries
stay the same: re-extracting unchanged content changes nothing.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import denormalize, normalize, read_po, write_po

from trainer.content import i18n
from trainer.content.loader import INDICATORS, ContentSet
from trainer.content.scenarios import scenario_context
from trainer.content.yamlfile import Located, load

DOMAIN = "content"
PROJECT = "trainer"
INDICATORS_MODULE = "indicators"  # the pseudo-module that indicators.yaml's labels are counted under
UI_MODULE = "ui"  # the coverage row of the UI catalog (messages.po)
POT_HEADER = ("# Course content of trainer (quizzes/), to translate.\n"
              "# Written by `flask translate extract`: do not edit. Translate\n"
              "# translations/<lang>/LC_MESSAGES/content.po; `flask translate compile` builds content.mo.\n"
              "#")
PO_HEADER = ("# {language} translation of the course content of trainer (quizzes/).\n"
             "# `flask translate update` merges content.pot into this file; `flask translate compile` builds\n"
             "# content.mo. Fuzzy entries are not used: the page shows the English and marks it.\n"
             "#")
# Babel flags a msgid as a format string when it looks like one ("100% of..." reads as "% o"); content is never
# formatted, and such a flag would make `msgfmt --check` demand the same "directives" in every translation.
FORMAT_FLAGS = frozenset({"python-format", "python-brace-format"})
SIMILARITY = 0.6  # how alike (difflib ratio) an old string must be to a new one to lend it its translation


@dataclass(frozen=True)
class Entry:
    """One translation unit: looked up by (context, msgid); msgid is the English text."""

    context: str
    msgid: str
    module: str  # for coverage: a quiz or scenario belongs to its module; indicator labels to "indicators"
    locations: tuple[tuple[str, int], ...]  # (file relative to the content folder's parent, line)


# ---------------------------------------------------------------------------------------------------------
# Extraction


def content_entries(content: ContentSet, locate: bool = True) -> list[Entry]:
    """Every translatable string of ``content``, by module order and then in file order, each (context, msgid)
    once (a repeated string lists each place it comes from). ``locate=False`` skips the source lines, which
    needs no YAML parsing (for counting at run time)."""
    found: dict[tuple[str, str], Entry] = {}
    for entry in _all_entries(content, locate):
        if not entry.msgid:
            continue  # the app shows empty text as is; an empty msgid would be the catalog's header
        key = (entry.context, entry.msgid)
        if key in found:
            old = found[key]
            locations = old.locations + tuple(loc for loc in entry.locations if loc not in old.locations)
            found[key] = Entry(old.context, old.msgid, old.module, locations)
        else:
            found[key] = entry
    return list(found.values())


def _all_entries(content: ContentSet, locate: bool = True) -> Iterator[Entry]:
    base = content.root.parent
    _source = _read_source if locate else (lambda path: None)  # noqa: N806
    _files_by_id = _read_files_by_id if locate else (lambda folder: {})  # noqa: N806
    for module in content.ordered_modules():
        folder = content.module_dir(module.id)
        yield from _located(i18n.strings(module, i18n.module_context(module.id)), i18n.module_context(module.id),
                            _source(folder / "module.yaml"), base, module.id)
        for ref in module.lessons:
            text = content.lessons.get((module.id, ref.id))
            if text is not None:
                context = i18n.lesson_context(module.id, ref.id)
                yield from (_lesson_entries(text, folder / ref.file, base, module.id, context) if locate else
                            (Entry(context, block.text, module.id, ()) for block in text.blocks))
        files = _files_by_id(folder / "assessments")
        for quiz_id in _in_module_order(module.assessments, content.quiz_module, module.id):
            quiz = content.quizzes[quiz_id]
            yield from _located(i18n.quiz_strings(quiz), i18n.quiz_context(quiz_id), files.get(quiz_id), base,
                                module.id, quiz=True)
        files = _files_by_id(folder / "scenarios")
        for scenario_id in _in_module_order(module.scenarios, content.scenario_module, module.id):
            scenario = content.scenarios[scenario_id]
            context = scenario_context(scenario_id)
            yield from _located(i18n.strings(scenario, context), context, files.get(scenario_id), base, module.id)
    if content.indicators is not None:
        yield from _located(i18n.strings(content.indicators, INDICATORS_MODULE), INDICATORS_MODULE,
                            _source(content.root / INDICATORS), base, INDICATORS_MODULE)


def _in_module_order(listed: Iterable[str], owner: dict[str, str], module_id: str) -> list[str]:
    """The module's quizzes or scenarios: those it lists, in its order, then any others in its folder."""
    mine = {item for item, module in owner.items() if module == module_id}
    ordered = [item for item in dict.fromkeys(listed) if item in mine]
    return ordered + sorted(mine - set(ordered))


Source = tuple[Path, Located]  # a YAML file and its parse (for line numbers)


def _read_source(path: Path) -> Source | None:
    return (path, load(path)) if path.is_file() else None


def _read_files_by_id(folder: Path) -> dict[str, Source]:
    """The parsed YAML files of a folder by the id they declare (a file need not be named after its id)."""
    files: dict[str, Source] = {}
    for path in sorted(folder.glob("*.yaml")):
        located = load(path)
        if isinstance(located.data, dict) and isinstance(located.data.get("id"), str):
            files.setdefault(located.data["id"], (path, located))
    return files


def _located(strings: Iterable[tuple[str, str]], prefix: str, source: Source | None, base: Path, module: str,
             quiz: bool = False) -> Iterator[Entry]:
    """Entries for ``strings`` (all under ``prefix``), each with the line of its value in the YAML ``source``."""
    lines = _yaml_lines(source[1].node, quiz) if source is not None else {}
    shown = source[0].relative_to(base).as_posix() if source is not None else ""
    for context, text in strings:
        relative = context.removeprefix(prefix).strip("/")
        line = lines.get((relative, text))
        while line is None and relative:  # a default value (not in the file): the line of its parent
            relative = relative.rpartition("/")[0]
            line = lines.get((relative, None))
        yield Entry(context, text, module, ((shown, line or 1),) if shown else ())


def _yaml_lines(node: yaml.Node | None, quiz: bool) -> dict[tuple[str, str | None], int]:
    """(context path below the file's own context, text) -> line, for every string in a YAML file, and
    (path, None) -> line for every mapping or list. Paths are built as ``i18n.strings`` builds contexts: list
    items by their id (or index), strings in a list by the list's name; a quiz's questions as question/<id>."""
    lines: dict[tuple[str, str | None], int] = {}

    def walk(node: yaml.Node, steps: tuple[str, ...]) -> None:
        if quiz and len(steps) == 4 and steps[0] == "pools" and steps[2] == "questions":
            steps = ("question", steps[3])  # pools/<pool>/questions/<id> -> question/<id> (see quiz_strings)
        where = "/".join(steps)
        lines.setdefault((where, None), node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            lines.setdefault((where, node.value), node.start_mark.line + 1)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*steps, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if isinstance(item, yaml.MappingNode):
                    item_id = next((v.value for k, v in item.value if k.value == "id"
                                    and isinstance(v, yaml.ScalarNode)), None)
                    walk(item, (*steps, item_id or str(index)))
                else:
                    walk(item, steps)

    if node is not None:
        walk(node, ())
    return lines


def _lesson_entries(text, path: Path, base: Path, module: str, context: str) -> Iterator[Entry]:
    """One entry per Markdown block, located at the block's first line."""
    lines = text.source.splitlines()
    shown = path.relative_to(base).as_posix()
    position = 0
    for block in text.blocks:
        first = block.text.split("\n", 1)[0].strip()
        line = next((number for number in range(position, len(lines)) if lines[number].strip() == first), None)
        if line is not None:
            position = line + block.text.count("\n") + 1
        yield Entry(context, block.text, module, ((shown, (line or 0) + 1),))


# ---------------------------------------------------------------------------------------------------------
# Catalog files


def build_catalog(entries: Iterable[Entry], creation_date: datetime | None = None) -> Catalog:
    """The template (content.pot) for ``entries``, in their order."""
    catalog = Catalog(domain=DOMAIN, project=PROJECT, header_comment=POT_HEADER,
                      creation_date=creation_date or datetime.now(timezone.utc))
    for entry in entries:
        catalog.add(entry.msgid, locations=entry.locations, context=entry.context)
    return catalog


def render(catalog: Catalog) -> bytes:
    """The PO text of ``catalog``: no line wrapping (as for messages.po), the old English of each fuzzy entry as
    ``#| msgid`` for the translator, translated obsolete entries kept (as ``#~``) in case their English comes
    back."""
    previous: dict[str, list[str]] = {}
    for message in catalog:
        message.flags -= FORMAT_FLAGS
        message.user_comments = [c for c in message.user_comments if not c.startswith(PREVIOUS_MARK)]
        if message.id and message.fuzzy and message.previous_id:
            mark = f"{PREVIOUS_MARK}{len(previous)}"
            previous[mark] = _previous_lines(message.previous_id[0])
            message.user_comments.append(mark)
    for message in catalog.obsolete.values():
        message.flags -= FORMAT_FLAGS
        message.previous_id = []
    buffer = io.BytesIO()
    try:
        # Babel's own include_previous wraps the old msgid like a comment, which breaks its quoted strings.
        write_po(buffer, catalog, width=0, include_previous=False)
    finally:
        for message in catalog:
            message.user_comments = [c for c in message.user_comments if not c.startswith(PREVIOUS_MARK)]
    lines, pending = [], None
    for line in buffer.getvalue().decode("utf-8").split("\n"):
        if line.startswith(f"# {PREVIOUS_MARK}"):
            pending = previous[line[2:].strip()]
            continue
        if pending and line.startswith(("msgctxt ", "msgid ")):
            lines.extend(pending)
            pending = None
        lines.append(line)
    return "\n".join(lines).encode("utf-8")


PREVIOUS_MARK = "@@previous-msgid-"  # a placeholder comment where render puts an entry's #| lines


def _previous_lines(text: str) -> list[str]:
    normalized = normalize(text, width=0).split("\n")
    return [f"#| msgid {normalized[0]}", *(f"#| {line}" for line in normalized[1:])]


def _take_previous(message: Message) -> None:
    """Babel reads ``#| msgid`` lines as translator comments: make them the message's previous_id again (for
    fuzzy entries; a translated entry needs none)."""
    marked = [c for c in message.user_comments if c.startswith("|")]
    if not marked:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts, field = [], None
    for comment in marked:
        text = comment[1:].strip()
        keyword, _, rest = text.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            field, text = keyword, rest.strip()
        if field == "msgid":
            parts.append(text)
    message.previous_id = []
    if parts and message.fuzzy:
        try:
            message.previous_id = [denormalize("\n".join(parts))]
        except Exception:  # noqa: BLE001 (a mangled #| line only loses the hint)
            message.previous_id = []


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    for message in [*catalog, *catalog.obsolete.values()]:
        _take_previous(message)
    return catalog


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly that; True if written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_pot(entries: Iterable[Entry], path: Path) -> bool:
    """Write the template to ``path``; True if it changed. Unchanged entries keep the file as it is, date
    included."""
    entries = list(entries)
    if path.is_file():
        try:
            old_date = read_catalog(path).creation_date
        except Exception:  # noqa: BLE001 (an unreadable template is simply replaced)
            old_date = None
        if old_date is not None and render(build_catalog(entries, old_date)) == path.read_bytes():
            return False
    return write_if_changed(path, render(build_catalog(entries)))


def new_translation(template: Catalog, lang: str) -> Catalog:
    """A fresh catalog for ``lang`` with every entry of ``template`` untranslated (Language and Plural-Forms
    from Babel's locale data)."""
    locale = Locale.parse(lang)
    catalog = Catalog(locale=locale, domain=DOMAIN, project=PROJECT, fuzzy=False,
                      header_comment=PO_HEADER.format(language=locale.english_name),
                      language_team=f"{locale.english_name} <LL@li.org>",
                      creation_date=template.creation_date, revision_date=datetime.now(timezone.utc))
    for message in template:
        if message.id:
            catalog.add(message.id, locations=message.locations, context=message.context,
                        auto_comments=message.auto_comments)
    return catalog


def merge(catalog: Catalog, template: Catalog) -> None:
    """Bring ``catalog`` (a language's content.po) up to ``template``, in place.

    An entry whose English is unchanged keeps its translation. A new entry takes, as fuzzy, the translation of
    the old string it most likely replaces, with that string as its ``#| msgid``: first an old string of the
    same context that is gone (the edited field; for a lesson, the most alike paragraph that is gone), then,
    as msgmerge does, the most alike translated string anywhere. (Babel's fuzzy matching ignores contexts.)
    Entries no longer in the template become obsolete: kept if translated, revived if their English comes
    back. Fuzzy and obsolete entries are never compiled."""
    for message in list(catalog.obsolete.values()):
        if message.string and catalog.get(message.id, message.context) is None:
            catalog[message.id] = message
    catalog.obsolete.clear()
    old = [m for m in catalog if m.id and status(m) != "missing"]
    translated = [m for m in old if not m.fuzzy]
    wanted = {(m.context, m.id) for m in template if m.id}
    new = [m for m in template if m.id and catalog.get(m.id, m.context) is None]
    gone: dict[str | None, list[Message]] = {}
    for message in old:
        if (message.context, message.id) not in wanted:
            gone.setdefault(message.context, []).append(message)
    changed_in: dict[str | None, int] = {}
    for message in new:
        changed_in[message.context] = changed_in.get(message.context, 0) + 1
    previous = {(m.context, m.id): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
    for message in new:
        candidates = gone.get(message.context, [])
        if len(candidates) == 1 and changed_in[message.context] == 1:
            source = candidates[0]  # the one string of this context changed: whatever the edit, this replaces it
        else:
            source = _most_alike(message.id, candidates) or _most_alike(message.id, translated)
        if source is None:
            continue
        # a fuzzy source's translation is of its own previous English, if known
        was = source.previous_id[0] if source.fuzzy and source.previous_id else source.id
        if source in candidates:
            candidates.remove(source)
            catalog.delete(source.id, context=source.context)
        catalog.add(message.id, source.string, locations=message.locations, context=message.context,
                    flags={"fuzzy"}, previous_id=was,
                    user_comments=source.user_comments if source.context == message.context else ())
        previous[(message.context, message.id)] = [was]
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    for message in catalog:  # Babel's update copies the template's message, which has no previous msgid
        if message.id:
            message.previous_id = previous.get((message.context, message.id), []) if message.fuzzy else []
    catalog.obsolete = {key: message for key, message in catalog.obsolete.items() if message.string}


def _most_alike(text: str, candidates: Iterable[Message]) -> Message | None:
    """The candidate whose English is most like ``text`` (at least SIMILARITY alike), as difflib's
    get_close_matches measures it."""
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(text.lower())
    best, best_ratio = None, SIMILARITY
    for candidate in candidates:
        matcher.set_seq1(candidate.id.lower())
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio or (best is None and ratio >= best_ratio):
            best, best_ratio = candidate, ratio
    return best


def update_po(template: Catalog, path: Path, lang: str) -> bool:
    """Merge ``template`` into the content.po at ``path`` (created if missing); True if the file changed."""
    if path.is_file():
        catalog = read_catalog(path, lang)
        merge(catalog, template)
    else:
        catalog = new_translation(template, lang)
    return write_if_changed(path, render(catalog))


def compile_po(po_path: Path, mo_path: Path) -> bool:
    """Compile a content.po into the content.mo the app loads (translated, non-fuzzy entries only)."""
    catalog = read_catalog(po_path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return write_if_changed(mo_path, buffer.getvalue())


# ---------------------------------------------------------------------------------------------------------
# Coverage


@dataclass(frozen=True)
class CoverageRow:
    language: str
    catalog: str  # "content" or "ui"
    module: str  # a module id, "indicators", or "ui"
    translated: int
    fuzzy: int
    missing: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    @property
    def percent(self) -> float:
        return round(100 * self.translated / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict:
        return {"language": self.language, "catalog": self.catalog, "module": self.module,
                "translated": self.translated, "fuzzy": self.fuzzy, "missing": self.missing, "total": self.total,
                "percent": self.percent}


def status(message: Message | None) -> str:
    """"translated", "fuzzy" (translated, but to be checked: not used) or "missing"."""
    if message is None:
        return "missing"
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    if not all(strings):
        return "missing"
    return "fuzzy" if message.fuzzy else "translated"


def content_coverage(entries: Iterable[Entry], catalog: Catalog | None, lang: str) -> list[CoverageRow]:
    """Per module (in the entries' order): how many of its entries ``catalog`` (a content.po) translates."""
    counts: dict[str, dict[str, int]] = {}
    for entry in entries:
        found = catalog.get(entry.msgid, entry.context) if catalog is not None else None
        module = counts.setdefault(entry.module, {"translated": 0, "fuzzy": 0, "missing": 0})
        module[status(found)] += 1
    return [CoverageRow(lang, DOMAIN, module, **numbers) for module, numbers in counts.items()]


def ui_coverage(template: Catalog | None, catalog: Catalog | None, lang: str) -> CoverageRow:
    """The UI catalog (messages.po) against its template (messages.pot; without one, the catalog's own entries)."""
    counts = {"translated": 0, "fuzzy": 0, "missing": 0}
    reference = template if template is not None else catalog
    for message in reference or ():
        if message.id:
            counts[status(catalog.get(message.id, message.context) if catalog is not None else None)] += 1
    return CoverageRow(lang, "ui", UI_MODULE, **counts)


def coverage_report(entries: list[Entry], folder: Path, languages: Iterable[str]) -> list[CoverageRow]:
    """Per language: a row per module of the content catalog, then the UI catalog's row, read from the .po files
    under ``folder`` (what translators have, fuzzy entries included)."""
    ui_pot = folder / "messages.pot"
    ui_template = read_catalog(ui_pot) if ui_pot.is_file() else None
    rows = []
    for lang in languages:
        content_po = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        ui_po = folder / lang / "LC_MESSAGES" / "messages.po"
        rows.extend(content_coverage(entries, read_catalog(content_po, lang) if content_po.is_file() else None, lang))
        rows.append(ui_coverage(ui_template, read_catalog(ui_po, lang) if ui_po.is_file() else None, lang))
    return rows

"""Roster CSV import: read and check a trainer's uploaded roster as a whole, writing nothing.

Pure: ``parse_roster`` takes the uploaded bytes and the reference data (agencies, duty stations, offered languages)
and returns a ``RosterResult`` with the clean rows and every problem found, each with its line and column. The
service that creates accounts and enrolments must write nothing unless ``result.ok``, and then write all rows in
one transaction; it, not this module, checks usernames and emails against existing accounts.

The file: UTF-8 with or without a byte-order mark (also UTF-16 with one, as Excel's "Unicode text" saves);
comma-, semicolon- or tab-separated (detected from the header line, or Excel's ``sep=;`` first line); a header
row naming the columns in English, Mongolian or Russian. Line numbers count the file's lines from 1 (the header
is normally line 1); a row whose cell contains a line break is reported at the line where it starts.
"""
from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

MAX_ROWS = 5000
MAX_PROBLEMS = 200
MAX_FULL_NAME = 160  # User.full_name is String(160)
MAX_EMAIL = 254  # User.email is String(254)
VALUE_PREVIEW = 60

# The same rule as trainer.services.users.USERNAME_RE (not imported: that module needs the database layer).
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
USERNAME_RULE = ("2 to 64 characters: Latin letters a-z, digits, dots, dashes or underscores, "
                 "starting with a letter or digit")

# Spreadsheets run a cell starting with one of these as a formula (CSV injection, OWASP); full-width forms too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMULA_MESSAGE = ("cells must not start with =, +, -, @, a tab or a carriage return (spreadsheet formulas); "
                   "remove the character")

# Control, format (invisible: zero-width space, bidi overrides, soft hyphen), surrogate, private-use, unassigned
# and line/paragraph separator characters have no place in any roster cell.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass(frozen=True)
class _Column:
    field: str
    label: str  # the English header, as template_csv() writes it
    aliases: tuple[str, ...]


COLUMNS = (
    _Column("full_name", "full name", (
        "full name", "name", "trainee name", "officer name",
        "овог нэр", "овог, нэр", "нэр", "бүтэн нэр", "эцэг эхийн нэр, нэр",
        "фио", "ф.и.о.", "имя", "полное имя", "фамилия имя", "фамилия и имя", "фамилия, имя, отчество",
    )),
    _Column("username", "username", (
        "username", "user name", "login", "login name", "user id",
        "нэвтрэх нэр", "хэрэглэгчийн нэр", "логин", "имя пользователя",
    )),
    _Column("email", "email", (
        "email", "e-mail", "email address", "e-mail address", "mail",
        "имэйл", "и-мэйл", "имэйл хаяг", "цахим шуудан", "эл. почта", "электронная почта", "почта",
    )),
    _Column("agency", "agency", (
        "agency", "organisation", "organization", "agency code",
        "байгууллага", "агентлаг", "ведомство", "организация",
    )),
    _Column("duty_station", "duty station", (
        "duty station", "station", "post", "duty post", "border post", "border crossing", "crossing",
        "алба хаах байршил", "алба хаах газар", "байршил", "боомт",
        "место службы", "пункт пропуска", "пост",
    )),
    _Column("language", "language", (
        "language", "lang", "preferred language",
        "хэл", "сонгосон хэл",
        "язык", "предпочитаемый язык",
    )),
)
COLUMN_LABELS = ", ".join(column.label for column in COLUMNS)
TEMPLATE_HEADER = [column.label for column in COLUMNS]

# A row-number column ("№", "#", "No.", "д/д", "№ п/п") is common in rosters kept in Excel: accepted and ignored.
ROW_NUMBER_HEADERS = frozenset({"no", "nr", "number", "дд", "пп", "noпп"})
# Split-name columns: this import takes the whole name in one column.
NAME_PART_HEADERS = frozenset({
    "surname", "lastname", "familyname", "firstname", "givenname", "givennames", "middlename", "patronymic",
    "овог", "ургийновог", "эцгийннэр", "фамилия", "отчество",
})

LANGUAGE_NAMES = {
    "en": ("english", "eng", "англи", "англи хэл", "английский", "английский язык"),
    "mn": ("mongolian", "mongol", "mon", "khk", "монгол", "монгол хэл", "монгольский", "монгольский язык"),
    "ru": ("russian", "rus", "орос", "орос хэл", "русский", "русский язык"),
    "zh": ("chinese", "zho", "chi", "хятад", "хятад хэл", "китайский", "китайский язык"),
    "ko": ("korean", "kor", "солонгос", "солонгос хэл", "корейский", "корейский язык"),
    "kk": ("kazakh", "kaz", "казах", "казах хэл", "казахский", "казахский язык"),
}
LANGUAGE_DISPLAY = {"en": "English", "mn": "Монгол", "ru": "Русский", "zh": "中文", "ko": "한국어", "kk": "Қазақша"}


@dataclass(frozen=True)
class Reference:
    """What the service knows: accepted spellings of each agency (code, English and local names) and duty station
    (English and local names) mapped to ids, and the language codes offered. Spellings compare case-insensitively,
    ignoring punctuation and extra spaces. Messages list the first spelling given for each id, so give codes (for
    agencies) or English names first."""

    agencies: Mapping[str, int]
    stations: Mapping[str, int]
    languages: tuple[str, ...] = ("en", "mn", "ru")


@dataclass(frozen=True)
class RosterRow:
    line: int
    full_name: str
    username: str | None  # lowercase; None when only an email was given (the service decides)
    email: str | None  # lowercase
    agency_id: int | None
    duty_station_id: int | None
    language: str | None  # one of Reference.languages


@dataclass(frozen=True)
class RosterProblem:
    line: int | None  # None for problems with the whole file
    column: str | None  # the header as written in the file
    message: str
    value: str | None = None  # the offending cell, at most VALUE_PREVIEW characters

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class RosterResult:
    rows: tuple[RosterRow, ...]  # rows without problems of their own, for a preview; write them only if ok
    problems: tuple[RosterProblem, ...]
    row_count: int = 0  # non-blank data rows in the file (also counted when over the limit)
    encoding: str | None = None  # "utf-8", "utf-8-sig" or "utf-16"
    delimiter: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


# --- helpers -------------------------------------------------------------------------------------------------------


def _preview(value: str) -> str:
    return value if len(value) <= VALUE_PREVIEW else value[:VALUE_PREVIEW - 1] + "…"


def _show(value: str) -> str:
    """A cell quoted for a message: shortened, with invisible characters spelled out."""
    shown = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in FORBIDDEN_CATEGORIES else ch
                    for ch in _preview(value))
    return f"'{shown}'"


def _header_key(text: str) -> str:
    """'E-mail', 'e_mail (work)' and ' EMAIL* ' all give 'email'; 'Эл. почта' gives 'элпочта'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    return "".join(ch for ch in text if ch.isalnum())


def _lookup_key(text: str) -> str:
    """'Zamiin-Uud  Road crossing' and 'zamiin uud road crossing' are the same station."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _forbidden_character(value: str) -> tuple[int, str] | None:
    if value.isprintable():  # the usual case, quickly: no character of FORBIDDEN_CATEGORIES
        return None
    for position, ch in enumerate(value, start=1):
        if unicodedata.category(ch) in FORBIDDEN_CATEGORIES:
            return position, ch
    return None


def _closest(key: str, keys: Iterable[str]) -> str | None:
    """The known spelling most like ``key``, also matching its start ('zamin ud' finds 'zamiin uud road crossing')."""
    best, best_score = None, 0.6
    for known in keys:
        score = difflib.SequenceMatcher(None, key, known).ratio()
        if len(key) >= 4:
            score = max(score, difflib.SequenceMatcher(None, key, known[:len(key)]).ratio())
        if score > best_score:
            best, best_score = known, score
    return best


def _listing(values: list[str], limit: int = 6) -> str:
    shown = ", ".join(values[:limit])
    return f"{shown} and {len(values) - limit} more" if len(values) > limit else shown


ALIASES: dict[str, _Column] = {}
for _column in COLUMNS:
    for _alias in (_column.field, _column.label, *_column.aliases):
        ALIASES.setdefault(_header_key(_alias), _column)
LANGUAGE_ALIASES = {_lookup_key(name): code for code, names in LANGUAGE_NAMES.items() for name in names}


class _Lookup:
    """Resolve a cell to an id through the reference spellings; remembers answers (rosters repeat values)."""

    def __init__(self, spellings: Mapping[str, int], kind: str, hint: str) -> None:
        self.kind, self.hint = kind, hint
        self.ids: dict[str, set[int]] = {}
        self.spelling: dict[str, str] = {}
        shown: dict[int, str] = {}
        for spelling, id_ in spellings.items():
            key = _lookup_key(spelling)
            if key:
                self.ids.setdefault(key, set()).add(id_)
                self.spelling.setdefault(key, spelling.strip())
                shown.setdefault(id_, spelling.strip())
        self.shown = list(shown.values())
        self.cache: dict[str, int | str] = {}

    def resolve(self, value: str) -> int | str:
        """The id, or a message saying why there is none."""
        if value not in self.cache:
            self.cache[value] = self._resolve(_lookup_key(value), value)
        return self.cache[value]

    def _resolve(self, key: str, value: str) -> int | str:
        ids = self.ids.get(key)
        if ids and len(ids) == 1:
            return next(iter(ids))
        if ids:
            return f"{self.kind} {_show(value)} names more than one {self.kind}; use {self.hint}"
        if not self.shown:
            return f"unknown {self.kind} {_show(value)}; no {self.kind} is set up yet: leave the cell empty"
        message = f"unknown {self.kind} {_show(value)}"
        close = _closest(key, self.ids)
        if close:
            message += f" (did you mean '{self.spelling[close]}'?)"
        return f"{message}; use one of: {_listing(self.shown)} (or {self.hint})"


class _Problems:
    def __init__(self, cap: int) -> None:
        self.cap, self.items, self.count = cap, [], 0

    def add(self, line: int | None, column: str | None, message: str, value: str | None = None) -> None:
        self.count += 1
        if len(self.items) < self.cap:
            self.items.append(RosterProblem(line, column, message, None if value is None else _preview(value)))

    def result(self) -> tuple[RosterProblem, ...]:
        more = self.count - len(self.items)
        if more:
            return (*self.items, RosterProblem(None, None, f"… and {more} more problem{'s' * (more > 1)}: "
                                                           "fix these and upload the file again"))
        return tuple(self.items)


# --- reading the file ----------------------------------------------------------------------------------------------


NOT_UTF8_ADVICE = 'save the file as CSV UTF-8 (in Excel: File, Save As, "CSV UTF-8 (Comma delimited)")'


def _decode(data: bytes) -> tuple[str, str] | RosterProblem:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return RosterProblem(None, None, f"this is an Excel workbook, not a CSV file: {NOT_UTF8_ADVICE}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return RosterProblem(None, None, f"the file starts like UTF-16 text but is not valid UTF-16: "
                                             f"{NOT_UTF8_ADVICE}")
    else:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            return RosterProblem(line, None, f"not UTF-8 text: byte {error.start + 1} (0x{data[error.start]:02X}) "
                                             "is not valid UTF-8 (Cyrillic saved by older Excel is usually "
                                             f"Windows-1251); {NOT_UTF8_ADVICE}")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        return RosterProblem(line, None, "the file contains NUL characters, so it is not UTF-8 text (perhaps UTF-16 "
                                         f"without a byte-order mark): {NOT_UTF8_ADVICE}")
    return text, encoding


def _delimiter(text: str) -> tuple[str, int | None]:
    """The delimiter, from Excel's "sep=;" first line (whose line number is returned, to skip) or from the header
    line: whichever of comma, semicolon and tab occurs most there outside double quotes; comma on a tie."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if not line.strip():
            continue
        stripped = line.strip().strip('"')
        if stripped.lower().startswith("sep=") and len(stripped) == 5 and stripped[4] in ",;\t|":
            return stripped[4], number
        outside = "".join(line.split('"')[::2])
        counts = {delimiter: outside.count(delimiter) for delimiter in (",", ";", "\t")}
        return max(counts, key=lambda delimiter: counts[delimiter]), None
    return ",", None


class _MalformedCsv(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each record; raises _MalformedCsv on malformed quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _MalformedCsv(end + 1, str(error)) from None
        yield end + 1, cells
        end = reader.line_num


DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a vertical bar"}


# --- the import ----------------------------------------------------------------------------------------------------


def parse_roster(data: bytes, reference: Reference, *, max_rows: int = MAX_ROWS,
                 max_problems: int = MAX_PROBLEMS) -> RosterResult:
    """Read a roster CSV and check it whole. Never raises for bad input: every problem is in ``problems``."""
    decoded = _decode(bytes(data))
    if isinstance(decoded, RosterProblem):
        return RosterResult((), (decoded,))
    text, encoding = decoded
    delimiter, sep_line = _delimiter(text)

    header: tuple[int, list[str]] | None = None
    records: list[tuple[int, list[str]]] = []
    row_count = 0
    try:
        for line, cells in _records(text, delimiter):
            if line == sep_line or not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = line, cells
                continue
            row_count += 1
            if row_count <= max_rows:  # past the limit, only count
                records.append((line, cells))
    except _MalformedCsv as error:
        problem = RosterProblem(error.line, None, f"this line is not valid CSV ({error.reason}): a value containing "
                                            f"{DELIMITER_NAMES[delimiter]}, a double quote or a line break must be "
                                            "in double quotes, with any double quote inside it doubled")
        return RosterResult((), (problem,), encoding=encoding, delimiter=delimiter)

    def result(rows: tuple[RosterRow, ...], problems: tuple[RosterProblem, ...]) -> RosterResult:
        return RosterResult(rows, problems, row_count=row_count, encoding=encoding, delimiter=delimiter)

    if header is None:
        return result((), (RosterProblem(None, None, "the file is empty: it needs a header line naming the columns "
                                                     f"({COLUMN_LABELS}) and one line per trainee"),))
    if row_count > max_rows:
        return result((), (RosterProblem(None, None, f"the roster has {row_count} rows; the limit is {max_rows} per "
                                                     "import: split the file"),))
    problems = _Problems(max_problems)
    columns = _read_header(header, problems)
    if columns is None:
        return result((), problems.result())
    if not records:
        problems.add(None, None, "the roster has a header but no trainees: add one line per trainee below it")
        return result((), problems.result())
    rows = _RowChecker(columns, reference, problems, delimiter).check(records)
    return result(rows, problems.result())


@dataclass(frozen=True)
class _Columns:
    line: int
    width: int
    index: dict[str, tuple[int, str]]  # field -> (position, header as written)
    unnamed: frozenset[int]  # positions with a blank header: values there are errors


def _read_header(header: tuple[int, list[str]], problems: _Problems) -> _Columns | None:
    line, cells = header
    written = [unicodedata.normalize("NFC", cell.strip()) for cell in cells]
    recognised = [ALIASES.get(_header_key(name)) for name in written]
    if not any(recognised):
        problems.add(line, None, "the first line must name the columns, for example: "
                                 f"{','.join(TEMPLATE_HEADER)}; it has no known column name", ",".join(written))
        return None
    index: dict[str, tuple[int, str]] = {}
    unnamed = set()
    for position, (name, column) in enumerate(zip(written, recognised, strict=True)):
        key = _header_key(name)
        if column is not None:
            if column.field in index:
                first = index[column.field][1]
                problems.add(line, name, f"column {_show(name)} repeats column {_show(first)} (both are the "
                                         f"{column.label}): delete one of them", name)
            else:
                index[column.field] = position, name
        elif not name:
            unnamed.add(position)
        elif key in ROW_NUMBER_HEADERS or name == "#":
            continue
        elif key in NAME_PART_HEADERS:
            problems.add(line, name, f"column {_show(name)} holds part of a name, but this import takes the whole "
                                     "name in one 'full name' column: combine the name columns into one", name)
        else:
            close = difflib.get_close_matches(key, list(ALIASES), n=1, cutoff=0.7)
            hint = f"; did you mean '{ALIASES[close[0]].label}'?" if close else ""
            problems.add(line, name, f"unknown column {_show(name)}{hint} (the columns are: {COLUMN_LABELS}; "
                                     "delete any other column)", name)
    missing = []
    if "full_name" not in index:
        missing.append("full name")
    if "username" not in index and "email" not in index:
        missing.append("username or email (at least one of them)")
    if missing:
        found = ", ".join(_show(name) for name in written if name) or "none"
        problems.add(line, None, f"missing column{'s' * (len(missing) > 1)}: {'; '.join(missing)}. "
                                 f"Columns found: {found}")
    return _Columns(line, len(cells), index, frozenset(unnamed))


class _RowChecker:
    def __init__(self, columns: _Columns, reference: Reference, problems: _Problems, delimiter: str) -> None:
        self.columns, self.problems, self.delimiter = columns, problems, delimiter
        self.agencies = _Lookup(reference.agencies, "agency", "the agency's name")
        self.stations = _Lookup(reference.stations, "duty station", "the station's name in another language")
        self.languages = tuple(reference.languages)
        self.usernames: dict[str, int] = {}
        self.emails: dict[str, int] = {}
        self.seen_rows: dict[tuple, int] = {}
        self.positions = {column: position for position, column in columns.index.values()}
        self.found: list[tuple[int, int, str | None, str, str | None]] = []  # the current row's problems

    def check(self, records: list[tuple[int, list[str]]]) -> tuple[RosterRow, ...]:
        rows = []
        for line, cells in records:
            self.found = []
            row = self._row(line, cells)
            for _, line_, column, message, value in sorted(self.found, key=lambda item: item[0]):  # in file order
                self.problems.add(line_, column, message, value)
            if row is not None and not self.found:
                rows.append(row)
        return tuple(rows)

    def _add(self, line: int, column: str | None, message: str, value: str | None = None) -> None:
        self.found.append((self.positions.get(column, -1), line, column, message, value))

    def _stray_cells(self, line: int, cells: list[str]) -> None:
        width = self.columns.width
        beyond = [cell for cell in cells[width:] if cell.strip()]
        if beyond:
            self._add(line, None, f"this line has {len(cells)} cells but the header has {width} columns: put "
                                          f"a value containing {DELIMITER_NAMES[self.delimiter]} in double quotes",
                              beyond[0])
            return
        for position in sorted(self.columns.unnamed):
            if position < len(cells) and cells[position].strip():
                self._add(line, None, f"a value in column {position + 1}, which has no header: name the "
                                              "column or delete the value", cells[position])
                return

    def _cell(self, line: int, cells: list[str], field: str) -> tuple[str, str | None] | None:
        """(header, cleaned value or None when blank); None when the column is absent or the cell is refused."""
        if field not in self.columns.index:
            return None
        position, column = self.columns.index[field]
        raw = cells[position] if position < len(cells) else ""
        value = unicodedata.normalize("NFC", raw.strip())
        if not value:
            return column, None
        if raw.startswith(FORMULA_STARTS) or value.startswith(FORMULA_STARTS):
            self._add(line, column, FORMULA_MESSAGE, raw)
            return None
        bad = _forbidden_character(value)
        if bad is not None:
            at, ch = bad
            self._add(line, column, f"contains an invisible or control character (U+{ord(ch):04X}) at "
                                            f"character {at}: retype the value", value)
            return None
        return column, value

    def _row(self, line: int, cells: list[str]) -> RosterRow | None:
        """The row when it has no problem of its own; its problems are added either way."""
        add = self._add
        self._stray_cells(line, cells)
        full_name = username = email = language = None
        agency_id = station_id = None

        cell = self._cell(line, cells, "full_name")
        if cell is not None:
            column, full_name = cell
            if full_name is None:
                add(line, column, "the full name is empty")
            elif len(full_name) > MAX_FULL_NAME:
                add(line, column, f"the full name is {len(full_name)} characters long; the limit is {MAX_FULL_NAME}",
                    full_name)
                full_name = None

        identity_refused = False
        cell = self._cell(line, cells, "username")
        if cell is None:
            identity_refused |= "username" in self.columns.index
        else:
            column, value = cell
            if value is not None:
                if USERNAME_RE.fullmatch(value.lower()):
                    username = value.lower()
                else:
                    add(line, column, f"username {_show(value)} is not valid: a username is {USERNAME_RULE}", value)
                    identity_refused = True

        cell = self._cell(line, cells, "email")
        if cell is None:
            identity_refused |= "email" in self.columns.index
        else:
            column, value = cell
            if value is not None:
                if len(value) > MAX_EMAIL:
                    add(line, column, f"the email address is {len(value)} characters long; the limit is {MAX_EMAIL}",
                        value)
                    identity_refused = True
                else:
                    try:
                        validate_email(value, check_deliverability=False)
                        email = value.lower()
                    except EmailNotValidError as error:
                        add(line, column, f"email address {_show(value)} is not valid: {error}", value)
                        identity_refused = True

        if username is None and email is None and not identity_refused:
            field = "username" if "username" in self.columns.index else "email"
            if field in self.columns.index:
                add(line, self.columns.index[field][1], "give a username or an email address (at least one)")

        cell = self._cell(line, cells, "agency")
        if cell is not None and cell[1] is not None:
            resolved = self.agencies.resolve(cell[1])
            if isinstance(resolved, int):
                agency_id = resolved
            else:
                add(line, cell[0], resolved, cell[1])

        cell = self._cell(line, cells, "duty_station")
        if cell is not None and cell[1] is not None:
            resolved = self.stations.resolve(cell[1])
            if isinstance(resolved, int):
                station_id = resolved
            else:
                add(line, cell[0], resolved, cell[1])

        cell = self._cell(line, cells, "language")
        if cell is not None and cell[1] is not None:
            language = self._language(line, *cell)

        key = (full_name and full_name.casefold(), username, email, agency_id, station_id, language)
        if not self.found and key in self.seen_rows:
            add(line, None, f"this line repeats line {self.seen_rows[key]}: delete one of them")
            return None
        if username is not None and username in self.usernames:
            add(line, self.columns.index["username"][1],
                f"username '{username}' is also on line {self.usernames[username]}: each trainee needs their own",
                username)
        if email is not None and email in self.emails:
            add(line, self.columns.index["email"][1],
                f"email address '{email}' is also on line {self.emails[email]}: each trainee needs their own", email)
        if username is not None:
            self.usernames.setdefault(username, line)
        if email is not None:
            self.emails.setdefault(email, line)
        if self.found or full_name is None:
            return None
        self.seen_rows[key] = line
        return RosterRow(line, full_name, username, email, agency_id, station_id, language)

    def _language(self, line: int, column: str, value: str) -> str | None:
        offered = {code.casefold(): code for code in self.languages}
        tag = re.fullmatch(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*", value.casefold())  # en, mn-MN, ru_RU
        for candidate in (value.casefold(), tag and tag.group(1), LANGUAGE_ALIASES.get(_lookup_key(value))):
            if candidate in offered:
                return offered[candidate]
        names = ", ".join(f"{code} ({LANGUAGE_DISPLAY[code]})" if code in LANGUAGE_DISPLAY else code
                          for code in self.languages)
        self._add(line, column, f"unknown language {_show(value)}; use one of: {names}, or leave the cell "
                                        "empty", value)
        return None


# --- the downloadable example ----------------------------------------------------------------------------------------


def template_csv(reference: Reference | None = None) -> str:
    """An example roster: the English header and two trainees (one with an email only, one with a Cyrillic name).
    With a reference, the example agency and station are its first ones. Serve it with ``template_csv_bytes``
    (UTF-8 with a byte-order mark), or Excel on Windows shows the Cyrillic name garbled."""
    agencies = list(reference.agencies) if reference else []
    stations = list(reference.stations) if reference else []
    agency = agencies[0] if agencies else "GABP"
    station = stations[0] if stations else "Zamiin-Uud railway crossing"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["Bat-Erdene Dorj", "bat-erdene.dorj", "", agency, station, "en"])
    writer.writerow(["Өнөрмаа Түвшинжаргал", "", "onormaa.t@example.com", agency, station, "mn"])
    return out.getvalue()


def template_csv_bytes(reference: Reference | None = None) -> bytes:
    return template_csv(reference).encode("utf-8-sig")

"""The machine readable zone (MRZ) of travel documents: read it, check it, show the arithmetic, and build specimens.

Rules from ICAO Doc 9303, 8th edition: Part 3 (common to all MRTDs: character set, names, dates, codes, check
digits), Part 4 (TD3, passports), Part 5 (TD1 cards), Part 6 (TD2 cards), Part 7 (visas MRV-A and MRV-B), as
summarised for this platform in shared/domain/documents.md. Pure Python: no I/O, no clock, no Flask.

What a result means, and what it cannot mean:
- ``valid`` speaks of format and check digits only. Whether a document has expired on a given day is a separate
  check (``expiry_on``), reported only when asked for.
- A check digit cannot catch every error: a character change worth a multiple of 10 (``C``=12 -> ``M``=22) and
  adjacent transpositions of characters whose values differ by a multiple of 5 (``16`` <-> ``61``) leave it
  unchanged, and the name, sex, nationality and (in visas) the optional data are covered by no check digit at all.
  A forger can also compute correct digits. So an MRZ is always compared with the visual zone and checked for
  plausibility; a valid MRZ only proves that it is well formed.
- Names are written in the MRZ as given: transliteration into A-Z (Part 3, section 6) is the caller's job. Names
  longer than the field are cut at the field width, so the given names, written last, lose characters first;
  Doc 9303 Part 3 allows finer truncation (e.g. to initials), which issuing states apply in their own ways.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import groupby

FILLER = "<"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALPHABET = LETTERS + DIGITS + FILLER  # Part 3: the only characters of the MRZ
WEIGHTS = (7, 3, 1)  # Part 3 §4.9
FORMATS = ("td1", "td2", "td3", "mrva", "mrvb")

Span = tuple[int, int, int]  # (line, start, end): 0-based, end excluded, like a slice of that line


# --- Check digits (Doc 9303 Part 3 §4.9) -------------------------------------------------------------------------

def char_value(char: str) -> int:
    """Part 3 §4.9: digits keep their value, ``A``=10 ... ``Z``=35, the filler ``<`` = 0."""
    if len(char) == 1 and "0" <= char <= "9":
        return ord(char) - ord("0")
    if len(char) == 1 and "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise ValueError(f"{char!r} is not an MRZ character (A-Z, 0-9, <)")


def arithmetic(text: str) -> list[tuple[str, int, int, int]]:
    """The working of a check digit, one row per character: (character, value, weight, product).

    The check digit is the sum of the products modulo 10 (Part 3 §4.9)."""
    rows = []
    for index, char in enumerate(text):
        value, weight = char_value(char), WEIGHTS[index % 3]
        rows.append((char, value, weight, value * weight))
    return rows


def check_digit(text: str) -> int:
    """Part 3 §4.9: weights 7, 3, 1 repeating from the left; sum of the products modulo 10.

    Raises ValueError on a character outside A-Z, 0-9 and ``<``."""
    return sum(product for *_, product in arithmetic(text)) % 10


# --- Layouts --------------------------------------------------------------------------------------------------------

def _at(line: int, first: int, last: int | None = None) -> Span:
    """A field as Doc 9303 numbers it: line and positions counted from 1, both ends included."""
    return (line - 1, first - 1, last if last is not None else first)


@dataclass(frozen=True)
class Layout:
    format: str
    label: str
    line_count: int
    line_length: int
    fields: dict[str, Span]
    digits: dict[str, Span]  # check digit name -> its position; computed over the field of the same name
    composite: Span | None = None
    composite_over: tuple[Span, ...] = ()
    number_extension: Span | None = None  # TD1: the part of a long document number in the optional data


def _two_line_fields(name_end: int, optional: str, optional_end: int) -> dict[str, Span]:
    """Line 1 and line 2 up to position 28 are common to TD2, TD3 and both visas (Parts 4, 6 and 7)."""
    return {
        "document_code": _at(1, 1, 2), "issuing_state": _at(1, 3, 5), "name": _at(1, 6, name_end),
        "document_number": _at(2, 1, 9), "nationality": _at(2, 11, 13), "birth_date": _at(2, 14, 19),
        "sex": _at(2, 21), "expiry_date": _at(2, 22, 27), optional: _at(2, 29, optional_end),
    }


_TWO_LINE_DIGITS = {"document_number": _at(2, 10), "birth_date": _at(2, 20), "expiry_date": _at(2, 28)}

LAYOUTS: dict[str, Layout] = {
    # Part 5 (TD1, 3 x 30): composite over line 1 positions 6-30 and line 2 positions 1-7, 9-15, 19-29.
    "td1": Layout(
        "td1", "TD1", 3, 30,
        fields={
            "document_code": _at(1, 1, 2), "issuing_state": _at(1, 3, 5), "document_number": _at(1, 6, 14),
            "optional_data": _at(1, 16, 30), "birth_date": _at(2, 1, 6), "sex": _at(2, 8),
            "expiry_date": _at(2, 9, 14), "nationality": _at(2, 16, 18), "optional_data_2": _at(2, 19, 29),
            "name": _at(3, 1, 30),
        },
        digits={"document_number": _at(1, 15), "birth_date": _at(2, 7), "expiry_date": _at(2, 15)},
        composite=_at(2, 30), composite_over=(_at(1, 6, 30), _at(2, 1, 7), _at(2, 9, 15), _at(2, 19, 29)),
    ),
    # Part 6 (TD2, 2 x 36): optional data 29-35, composite at 36 over 1-10, 14-20, 22-35.
    "td2": Layout(
        "td2", "TD2", 2, 36, _two_line_fields(36, "optional_data", 35), _TWO_LINE_DIGITS,
        composite=_at(2, 36), composite_over=(_at(2, 1, 10), _at(2, 14, 20), _at(2, 22, 35)),
    ),
    # Part 4 (TD3, 2 x 44): personal number 29-42 with its check digit at 43; composite at 44 over 1-10, 14-20,
    # 22-43.
    "td3": Layout(
        "td3", "TD3", 2, 44, _two_line_fields(44, "personal_number", 42),
        {**_TWO_LINE_DIGITS, "personal_number": _at(2, 43)},
        composite=_at(2, 44), composite_over=(_at(2, 1, 10), _at(2, 14, 20), _at(2, 22, 43)),
    ),
    # Part 7 (visas): optional data to the end of line 2, and no composite check digit.
    "mrva": Layout("mrva", "MRV-A", 2, 44, _two_line_fields(44, "optional_data", 44), _TWO_LINE_DIGITS),
    "mrvb": Layout("mrvb", "MRV-B", 2, 36, _two_line_fields(36, "optional_data", 36), _TWO_LINE_DIGITS),
}

# The first character of the document code: Part 4 (P), Part 5 (A, C or I), Part 7 (V); a TD2 is anything but a visa.
_CODE_FIRST = {"td1": "ACI", "td2": LETTERS.replace("V", ""), "td3": "P", "mrva": "V", "mrvb": "V"}
_CODE_FIRST_TEXT = {"td1": "A, C or I", "td2": "a letter other than V", "td3": "P", "mrva": "V", "mrvb": "V"}
_TD1_NUMBER_MAX = 22  # 9 + 13 more in the optional data, then the check digit and a filler (Part 5)


def _td1_long_number(layout: Layout, extra: int) -> Layout:
    """Part 5: a document number longer than 9 characters. Position 15 holds ``<``; the number goes on at
    position 16 for ``extra`` characters, followed by its check digit and a filler; the optional data follows."""
    start = 15 + extra  # 0-based index of the check digit on line 1
    return replace(
        layout,
        number_extension=(0, 15, start),
        digits={**layout.digits, "document_number": (0, start, start + 1)},
        fields={**layout.fields, "optional_data": (0, min(start + 2, 30), 30)},
    )


def _layout_of(fmt: str, lines: Sequence[str]) -> Layout:
    """The layout, with a TD1 long document number taken into account (position 15 ``<``, position 16 not)."""
    layout = LAYOUTS[fmt]
    if fmt != "td1" or lines[0][14] != FILLER or lines[0][15] == FILLER:
        return layout
    rest = lines[0][15:]
    run = len(rest) - len(rest.lstrip(LETTERS + DIGITS))  # the continuation and its check digit
    return _td1_long_number(layout, run - 1)


def _read(lines: Sequence[Sequence[str]], span: Span) -> str:
    line, start, end = span
    return "".join(lines[line][start:end])


def _describe(spans: Sequence[Span]) -> str:
    """Human positions, counted from 1: ``line 2, position 10`` or ``line 2, positions 1-10, 14-20``."""
    parts = []
    for line, group in groupby((s for s in spans if s[2] > s[1]), key=lambda span: span[0]):
        ranges = [str(start + 1) if end - start == 1 else f"{start + 1}-{end}" for _, start, end in group]
        word = "position" if len(ranges) == 1 and "-" not in ranges[0] else "positions"
        parts.append(f"line {line + 1}, {word} {', '.join(ranges)}")
    return "; ".join(parts)


# --- Results --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One check. For a check digit (kind ``check_digit``), ``expected`` is the digit computed over ``over`` and
    ``found`` is the character in the MRZ; ``arithmetic(over)`` shows the working. Kind ``date`` is a date field that
    is no calendar date; kind ``expiry`` is the answer of ``expiry_on``. ``line``/``position`` count from 1."""

    name: str
    ok: bool
    expected: str
    found: str
    positions: str = ""
    over: str = ""
    over_positions: str = ""
    line: int = 0
    position: int = 0
    kind: str = "check_digit"


@dataclass(frozen=True)
class MrzResult:
    format: str | None  # one of FORMATS, or the likeliest one when the lines are malformed; None if no guess
    lines: tuple[str, ...] = ()
    format_errors: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()

    @property
    def valid(self) -> bool:
        """Well formed and every check digit right. Says nothing about expiry, nor about authenticity."""
        return not self.format_errors and all(check.ok for check in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.ok)

    def check(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)


# --- Reading --------------------------------------------------------------------------------------------------------

def _split(lines: Sequence[str] | str) -> list[str]:
    """Lines from a list or from one text; surrounding whitespace goes, blank lines go, nothing else changes."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [line.strip() for line in lines if line.strip()]


def detect_format(lines: Sequence[str] | str) -> str | None:
    """``td1`` (3 x 30), ``td2``/``td3`` (2 x 36 / 2 x 44, not starting with V), ``mrvb``/``mrva`` (2 x 36 / 2 x 44
    starting with V), or None when the lines have none of these shapes."""
    lines = _split(lines)
    lengths = {len(line) for line in lines}
    if len(lengths) != 1:
        return None
    shape, visa = (len(lines), lengths.pop()), lines[0].startswith("V")
    shapes = {(3, 30): "td1", (2, 36): "mrvb" if visa else "td2", (2, 44): "mrva" if visa else "td3"}
    return shapes.get(shape)


def _guess_format(lines: list[str]) -> str | None:
    """For malformed lines, the format most likely meant: by the first line's length, else by the line count."""
    first = lines[0] if lines else ""
    visa = first.startswith("V")
    by_length = {30: "td1", 36: "mrvb" if visa else "td2", 44: "mrva" if visa else "td3"}
    if len(first) in by_length:
        return by_length[len(first)]
    if len(lines) == 3:
        return "td1"
    if len(lines) == 2:
        return by_length[44] if max(len(line) for line in lines) > 40 else by_length[36]
    return None


def _line_errors(lines: list[str], fmt: str | None) -> list[str]:
    """Line count, line lengths, then characters outside the MRZ alphabet (Part 3; Parts 4-7 for the shapes)."""
    errors = []
    if fmt is None:
        errors.append(f"expected 2 lines (TD2, TD3, MRV-A, MRV-B) or 3 lines (TD1), found {len(lines)}")
    else:
        layout = LAYOUTS[fmt]
        if len(lines) != layout.line_count:
            errors.append(f"a {layout.label} MRZ has {layout.line_count} lines, found {len(lines)}")
        for number, line in enumerate(lines, 1):
            if len(line) != layout.line_length:
                errors.append(f"line {number}: expected {layout.line_length} characters ({layout.label}), "
                              f"found {len(line)}")
    for number, line in enumerate(lines, 1):
        for position, char in enumerate(line, 1):
            if char not in ALPHABET:
                hint = ": lower case is not allowed" if char.islower() else ""
                errors.append(f"line {number}, position {position}: {char!r} is not an MRZ character "
                              f"(A-Z, 0-9, <){hint}")
    return errors


def _field_errors(lines: list[str], layout: Layout) -> list[str]:
    """Field rules of Part 3: document code, three-letter codes, names of letters only, sex F, M or <."""
    errors = []
    where = {name: _describe([span]) for name, span in layout.fields.items()}
    code = _read(lines, layout.fields["document_code"])
    if code[0] not in _CODE_FIRST[layout.format] or code[1] not in LETTERS + FILLER:
        errors.append(f"{where['document_code']}: a {layout.label} document code is "
                      f"{_CODE_FIRST_TEXT[layout.format]} then a letter or <, found {code!r}")
    for name in ("issuing_state", "nationality"):
        value = _read(lines, layout.fields[name])
        if not re.fullmatch(r"[A-Z]+<*", value):
            errors.append(f"{where[name]}: the {name.replace('_', ' ')} is a three-letter code, found {value!r}")
    name_line, name_start, _ = layout.fields["name"]
    for offset, char in enumerate(_read(lines, layout.fields["name"])):
        if char not in LETTERS + FILLER:
            errors.append(f"line {name_line + 1}, position {name_start + offset + 1}: a name holds only "
                          f"letters and <, found {char!r}")
    sex = _read(lines, layout.fields["sex"])
    if sex not in ("F", "M", FILLER):
        errors.append(f"{where['sex']}: sex is F, M or <, found {sex!r}")
    return errors


def split_name(text: str) -> tuple[str, str]:
    """Part 3: primary identifier ``<<`` secondary identifier, name parts separated by ``<``.
    Returns (surname, given names) with the parts separated by spaces."""
    primary, _, secondary = text.rstrip(FILLER).partition(FILLER * 2)
    return _words(primary), _words(secondary)


def _words(text: str) -> str:
    return " ".join(part for part in text.split(FILLER) if part)


def _fields(lines: list[str], layout: Layout) -> dict[str, str]:
    raw = {name: _read(lines, span) for name, span in layout.fields.items()}
    surname, given_names = split_name(raw.pop("name"))
    number = raw["document_number"].rstrip(FILLER)
    if layout.number_extension:
        number = raw["document_number"] + _read(lines, layout.number_extension)
    values = {"surname": surname, "given_names": given_names, "document_number": number}
    for name in raw:
        if name not in values:
            keep = name in ("birth_date", "expiry_date", "sex")  # raw, as printed
            values[name] = raw[name] if keep else raw[name].rstrip(FILLER)
    order = ("document_code", "issuing_state", "surname", "given_names", "document_number", "nationality",
             "birth_date", "sex", "expiry_date", "optional_data", "optional_data_2", "personal_number")
    return {name: values[name] for name in order if name in values}


def _digit_check(lines: list[str], name: str, at: Span, over_spans: Sequence[Span]) -> Check:
    over, found = "".join(_read(lines, span) for span in over_spans), _read(lines, at)
    expected = str(check_digit(over))
    ok = found == expected
    if name == "personal_number" and set(over) == {FILLER}:
        # Part 4: over an all-filler personal number the check digit may be < (or 0, the computed value).
        ok, expected = found in (FILLER, "0"), found if found in (FILLER, "0") else FILLER
    return Check(name, ok, expected, found, _describe([at]), over, _describe(over_spans), at[0] + 1, at[1] + 1)


def _digit_checks(lines: list[str], layout: Layout) -> list[Check]:
    checks = []
    for name, at in layout.digits.items():
        over = [layout.fields[name]]
        if name == "document_number" and layout.number_extension:
            over.append(layout.number_extension)  # Part 5: the digit covers the whole long number
        checks.append(_digit_check(lines, name, at, over))
    if layout.composite:
        checks.append(_digit_check(lines, "composite", layout.composite, layout.composite_over))
    return checks


def _is_date(yymmdd: str, centuries: Sequence[int]) -> bool:
    """Part 3: dates are YYMMDD; true when some century in ``centuries`` makes it a calendar date."""
    if not re.fullmatch(r"[0-9]{6}", yymmdd):
        return False
    for century in centuries:
        try:
            date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
            return True
        except ValueError:
            continue
    return False


def _date_format_check(name: str, value: str, span: Span) -> Check:
    return Check(f"{name}_format", False, "YYMMDD, a calendar date", value, _describe([span]),
                 line=span[0] + 1, position=span[1] + 1, kind="date")


def _date_checks(lines: list[str], layout: Layout) -> list[Check]:
    """Dates that are no calendar date (e.g. 991340) fail a ``*_format`` check; valid dates add no check."""
    checks = []
    for name, centuries in (("birth_date", (1900, 2000)), ("expiry_date", (2000,))):
        value = _read(lines, layout.fields[name])
        if not _is_date(value, centuries):
            checks.append(_date_format_check(name, value, layout.fields[name]))
    return checks


def parse(lines: Sequence[str] | str) -> MrzResult:
    """Read an MRZ given as a list of lines or one text. Never raises on bad input: format errors (line count,
    line lengths, characters, field rules) are reported first, and when there are any, no check is run."""
    lines = _split(lines)
    fmt = detect_format(lines)
    if fmt is None:  # some line-count or length error is then certain
        guess = _guess_format(lines)
        return MrzResult(guess, tuple(lines), tuple(_line_errors(lines, guess)))
    errors = _line_errors(lines, fmt) or _field_errors(lines, LAYOUTS[fmt])
    if errors:
        return MrzResult(fmt, tuple(lines), tuple(errors))
    layout = _layout_of(fmt, lines)
    checks = _digit_checks(lines, layout) + _date_checks(lines, layout)
    return MrzResult(fmt, tuple(lines), (), _fields(lines, layout), tuple(checks))


# --- Dates (plausibility, apart from validity) ----------------------------------------------------------------------

def _ymd(yymmdd: str) -> tuple[int, int, int]:
    if not re.fullmatch(r"[0-9]{6}", yymmdd):
        raise ValueError(f"{yymmdd!r} is not YYMMDD")
    return int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])


def birth_date_from(yymmdd: str, reference: date) -> date:
    """A YYMMDD birth date in the century that does not put it after ``reference`` (20YY if that is not in the
    future, else 19YY). Raises ValueError when it is no calendar date, or no such date exists."""
    yy, mm, dd = _ymd(yymmdd)
    if not _is_date(yymmdd, (1900, 2000)):
        raise ValueError(f"{yymmdd!r} is not a calendar date")
    for century in (2000, 1900):
        try:
            candidate = date(century + yy, mm, dd)
        except ValueError:  # 29 February of 1900
            continue
        if candidate <= reference:
            return candidate
    raise ValueError(f"{yymmdd!r} is no birth date on or before {reference.isoformat()}")


def expiry_date_from(yymmdd: str) -> date:
    """A YYMMDD expiry (or visa valid-until) date, read as 20YY. Raises ValueError when it is no calendar date."""
    yy, mm, dd = _ymd(yymmdd)
    return date(2000 + yy, mm, dd)


def expiry_on(result: MrzResult, on: date) -> Check | None:
    """Whether the document is still valid on ``on``: an ``expired`` check, ok when the expiry date is on or after
    ``on``; ``expiry_date_format`` when the expiry is no calendar date; None when the MRZ could not be read."""
    if result.format_errors or result.format is None or "expiry_date" not in result.fields:
        return None
    raw, span = result.fields["expiry_date"], LAYOUTS[result.format].fields["expiry_date"]
    try:
        expiry = expiry_date_from(raw)
    except ValueError:
        return _date_format_check("expiry_date", raw, span)
    return Check("expired", expiry >= on, f"on or after {on.isoformat()}", expiry.isoformat(), _describe([span]),
                 line=span[0] + 1, position=span[1] + 1, kind="expiry")


# --- Generating -----------------------------------------------------------------------------------------------------

def name_field(surname: str, given_names: str, width: int) -> str:
    """Part 3: SURNAME<<GIVEN<NAMES, padded with ``<`` to ``width``, or cut at ``width`` when too long.
    Takes names already in A-Z; spaces and hyphens become ``<``."""
    primary, secondary = _name_part(surname, "surname"), _name_part(given_names, "given names")
    if not primary:
        raise ValueError("a surname (primary identifier) is required")
    text = primary + (FILLER * 2 + secondary if secondary else "")
    return text[:width].ljust(width, FILLER)


def _name_part(text: str, what: str) -> str:
    converted = re.sub(r"[ \-]+", FILLER, text.strip())
    if not re.fullmatch(r"[A-Z<]*", converted):
        raise ValueError(f"the {what} must be in A-Z (transliterate first, Doc 9303 Part 3), found {text!r}")
    return converted.strip(FILLER)


def _code(fmt: str, code: str) -> str:
    if not (1 <= len(code) <= 2 and code[0] in _CODE_FIRST[fmt] and code[1:] in ("", FILLER, *LETTERS)):
        raise ValueError(f"a {LAYOUTS[fmt].label} document code is {_CODE_FIRST_TEXT[fmt]}, then optionally a "
                         f"letter; found {code!r}")
    return code.ljust(2, FILLER)


def _country(code: str, what: str) -> str:
    if not re.fullmatch(r"[A-Z]{1,3}", code):
        raise ValueError(f"the {what} is a code of 1 to 3 letters (e.g. UTO, XXA, D), found {code!r}")
    return code.ljust(3, FILLER)


def _date_text(value: str | date, what: str, centuries: Sequence[int]) -> str:
    if isinstance(value, date):
        if value.year - value.year % 100 not in centuries:  # 1996 would read back as 2096
            raise ValueError(f"the {what} must be YYMMDD, a calendar date in {_years(centuries)}; found {value}")
        value = f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"
    if not isinstance(value, str) or not _is_date(value, centuries):
        raise ValueError(f"the {what} must be YYMMDD, a calendar date; found {value!r}")
    return value


def _years(centuries: Sequence[int]) -> str:
    return f"{min(centuries)}-{max(centuries) + 99}"


def _sex(sex: str) -> str:
    if sex not in ("F", "M", FILLER):
        raise ValueError(f"sex is F, M or < (unspecified) in the MRZ, found {sex!r}")
    return sex


def _document_number(fmt: str, number: str) -> str:
    longest = _TD1_NUMBER_MAX if fmt == "td1" else 9
    if not re.fullmatch(r"[A-Z0-9]+", number) or len(number) > longest:
        raise ValueError(f"a {LAYOUTS[fmt].label} document number is 1 to {longest} characters A-Z, 0-9; "
                         f"found {number!r}")
    return number


def _optional(value: str, what: str) -> str:
    if any(char not in ALPHABET for char in value):
        raise ValueError(f"the {what} holds only A-Z, 0-9 and <, found {value!r}")
    return value


def _put(grid: list[list[str]], span: Span, text: str, what: str) -> None:
    line, start, end = span
    if len(text) > end - start:
        raise ValueError(f"the {what} has {len(text)} characters; the field holds {end - start}")
    grid[line][start:start + len(text)] = list(text)


def _generate(fmt: str, values: dict[str, str | date]) -> list[str]:
    layout = LAYOUTS[fmt]
    number = _document_number(fmt, values["document_number"])
    if len(number) > 9:  # only TD1 gets this far (Part 5)
        layout = _td1_long_number(layout, len(number) - 9)
        number, extension = number[:9], number[9:]
    grid = [[FILLER] * layout.line_length for _ in range(layout.line_count)]
    text = {
        "document_code": _code(fmt, values["document_code"]),
        "issuing_state": _country(values["issuing_state"], "issuing state"),
        "name": name_field(values["surname"], values["given_names"], layout.fields["name"][2]
                           - layout.fields["name"][1]),
        "document_number": number,
        "nationality": _country(values["nationality"], "nationality"),
        "birth_date": _date_text(values["birth_date"], "birth date", (1900, 2000)),
        "sex": _sex(values["sex"]),
        "expiry_date": _date_text(values["expiry_date"], "expiry date", (2000,)),
    }
    for name in ("optional_data", "optional_data_2", "personal_number"):
        if name in layout.fields:
            text[name] = _optional(values[name], name.replace("_", " "))
    for name, value in text.items():
        _put(grid, layout.fields[name], value, name.replace("_", " "))
    if layout.number_extension:
        _put(grid, layout.number_extension, extension, "document number")
    _put_digits(grid, layout)
    return ["".join(line) for line in grid]


def _put_digits(grid: list[list[str]], layout: Layout) -> None:
    """Every check digit, the composite last since it covers the others (Part 3 §4.9; Parts 4-7)."""
    for name, at in layout.digits.items():
        over = _read(grid, layout.fields[name])
        if name == "document_number" and layout.number_extension:
            over += _read(grid, layout.number_extension)
        digit = str(check_digit(over))
        if name == "personal_number" and set(over) == {FILLER}:
            digit = FILLER  # Part 4: an all-filler personal number gets < as its check digit
        _put(grid, at, digit, f"{name} check digit")
    if layout.composite:
        over = "".join(_read(grid, span) for span in layout.composite_over)
        _put(grid, layout.composite, str(check_digit(over)), "composite check digit")


def generate_td3(*, issuing_state: str, surname: str, document_number: str, nationality: str,
                 birth_date: str | date, sex: str, expiry_date: str | date, given_names: str = "",
                 personal_number: str = "", document_code: str = "P") -> list[str]:
    """A passport MRZ (Part 4): 2 lines of 44, check digits and composite computed."""
    return _generate("td3", locals())


def generate_td2(*, issuing_state: str, surname: str, document_number: str, nationality: str,
                 birth_date: str | date, sex: str, expiry_date: str | date, given_names: str = "",
                 optional_data: str = "", document_code: str = "I") -> list[str]:
    """A TD2 MRZ (Part 6): 2 lines of 36."""
    return _generate("td2", locals())


def generate_td1(*, issuing_state: str, surname: str, document_number: str, nationality: str,
                 birth_date: str | date, sex: str, expiry_date: str | date, given_names: str = "",
                 optional_data: str = "", optional_data_2: str = "", document_code: str = "I") -> list[str]:
    """A TD1 MRZ (Part 5): 3 lines of 30. A document number of 10 to 22 characters uses the long-number rule."""
    return _generate("td1", locals())


def generate_mrva(*, issuing_state: str, surname: str, document_number: str, nationality: str,
                  birth_date: str | date, sex: str, expiry_date: str | date, given_names: str = "",
                  optional_data: str = "", document_code: str = "V") -> list[str]:
    """An MRV-A visa MRZ (Part 7): 2 lines of 44, no composite check digit."""
    return _generate("mrva", locals())


def generate_mrvb(*, issuing_state: str, surname: str, document_number: str, nationality: str,
                  birth_date: str | date, sex: str, expiry_date: str | date, given_names: str = "",
                  optional_data: str = "", document_code: str = "V") -> list[str]:
    """An MRV-B visa MRZ (Part 7): 2 lines of 36, no composite check digit."""
    return _generate("mrvb", locals())


_GENERATORS = {"td1": generate_td1, "td2": generate_td2, "td3": generate_td3, "mrva": generate_mrva,
               "mrvb": generate_mrvb}


def generate(fmt: str, **fields: str | date) -> list[str]:
    """Build the MRZ lines of format ``fmt`` from field values named as in ``MrzResult.fields``, so that
    ``generate(r.format, **r.fields)`` rebuilds a parsed MRZ. Raises ValueError on values that do not fit."""
    if fmt not in _GENERATORS:
        raise ValueError(f"unknown MRZ format {fmt!r}; one of {', '.join(FORMATS)}")
    return _GENERATORS[fmt](**fields)

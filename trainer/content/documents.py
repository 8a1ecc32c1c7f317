"""Specimen passports of fictitious states, with defects put in on purpose, drawn as SVG.

A document comes from a seed: the same seed (and the same forced defects and inspection date) always gives the
same document, so an authored question that fixes a seed shows a stable item, and practice can draw documents
without limit. The answer key is the set of defects applied; ``detect`` finds them again from the document's
data alone (MRZ check digits through ``mrz.parse``, visual zone against MRZ, dates against the inspection day,
issuing state), which the tests use to prove every defect can be seen by the check it belongs to.

Issuing states are fictitious: ``UTO`` is ICAO's own specimen state "Utopia" (Doc 9303 Part 3); the other codes
come from ISO 3166-1's user-assigned range QMA-QZZ, which ISO never gives to a country and ICAO's additions
(XXA-XXX, EUE, UNO/UNA/UNK, D...) do not use. Every drawing is marked SPECIMEN. Pure Python: no I/O, no clock.
"""
from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from itertools import combinations
from typing import NamedTuple

from trainer.content import mrz

# --- States, names, places ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    code: str
    name: str
    demonym: str
    places: tuple[str, ...]
    authority: str


STATES: dict[str, State] = {
    "UTO": State("UTO", "Utopia", "Utopian", ("AMAUROT", "ANYDER VALE", "MACARIA", "ABRAXA"),
                 "PASSPORT OFFICE AMAUROT"),
    "QRA": State("QRA", "Republic of Arcadia", "Arcadian", ("SILVERFORD", "NORTHMERE", "EASTHOLM"),
                 "MINISTRY OF INTERIOR"),
    "QMF": State("QMF", "Meridian Federation", "Meridian", ("LAKEPORT", "HIGHCROSS", "REDMOOR", "WESTBURY"),
                 "FEDERAL PASSPORT SERVICE"),
}

SURNAMES = ("BATBAYAR", "GANBOLD", "ENKHBAYAR", "TSEDEN", "DORJSUREN", "ALTANSUKH", "NARANTUYA", "ERIKSSON",
            "LINDQVIST", "HALVORSEN", "MOREAU", "KOVAC", "OKONJO", "PETROVA", "SANTOS", "VALDEZ", "NAKAMURA",
            "WINTERBOURNE")
GIVEN_NAMES = {
    "F": ("ANNA MARIA", "SARANGEREL", "ODGEREL", "NOMIN", "KHULAN", "ELENA", "MIRA", "SOFIA", "ZOLZAYA",
          "TUYA", "AMARA", "LENA SOFIE"),
    "M": ("BAT-ERDENE", "TEMUULEN", "GANZORIG", "ARIUNBOLD", "IVAN", "MARCO", "TOMAS", "ERIK", "JONAS",
          "DAVAA", "LUCA ANDREI", "OTGON"),
}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
KIND = "td3"  # a passport data page (ICAO Doc 9303 Part 4)
NAME_WIDTH = 39  # TD3 line 1, positions 6-44

# --- The defect catalogue -------------------------------------------------------------------------------------------


class Defect(NamedTuple):
    label: str
    explanation: str


NO_DEFECT = "no_defect"
NO_DEFECT_LABEL = "No defect"

DEFECTS: dict[str, Defect] = {
    "wrong_check_digit": Defect(
        "Wrong check digit in the MRZ",
        "A check digit in line 2 of the machine readable zone does not match the characters it covers. Recompute "
        "each one with the weights 7, 3, 1 and the sum modulo 10 (ICAO Doc 9303 Part 3): document number, date "
        "of birth, date of expiry, personal number, and the composite at the end."),
    "viz_mrz_name": Defect(
        "Name differs between the visual zone and the MRZ",
        "The surname or given names printed in the visual zone are not the name in line 1 of the MRZ. No check "
        "digit covers the name, so only this comparison finds the change."),
    "viz_mrz_birth_date": Defect(
        "Date of birth differs between the visual zone and the MRZ",
        "The date of birth printed in the visual zone is not the one in the MRZ (line 2, positions 14-19, "
        "written YYMMDD). Someone who alters one zone often forgets the other."),
    "viz_mrz_number": Defect(
        "Document number differs between the visual zone and the MRZ",
        "The document number printed on the data page is not the one in the MRZ (line 2, positions 1-9)."),
    "viz_mrz_sex": Defect(
        "Sex differs between the visual zone and the MRZ",
        "The sex printed in the visual zone is not the one in the MRZ (line 2, position 21). No check digit "
        "covers it."),
    "viz_mrz_nationality": Defect(
        "Nationality differs between the visual zone and the MRZ",
        "The nationality printed in the visual zone is not the code in the MRZ (line 2, positions 11-13). No "
        "check digit covers the nationality."),
    "expired": Defect(
        "Expired on the inspection date",
        "The date of expiry is before the inspection date: the document is no longer valid, however genuine it "
        "is."),
    "birth_after_issue": Defect(
        "Date of birth after the date of issue",
        "The holder would have been born after the document was issued. Impossible dates point to altered data "
        "or a counterfeit."),
    "issue_after_expiry": Defect(
        "Date of issue after the date of expiry",
        "The document would expire before it was issued. Impossible dates point to altered data or a "
        "counterfeit."),
    "issuing_state_mismatch": Defect(
        "Issuing-state code in the MRZ does not match the data page",
        "Line 1 of the MRZ (positions 3-5) names another issuing state than the state and code printed at the top "
        "of the data page. Line 1 has no check digit, so only this comparison finds it."),
    "photo_substitution": Defect(
        "Signs of photo substitution",
        "The background print does not run on into the portrait, the portrait sits askew, and the laminate is "
        "lifted at its edge: signs that the portrait was replaced, the commonest forgery (ICAO Doc 9303 Part 2)."),
    "inconsistent_font": Defect(
        "One entry in a different typeface",
        "One entry of the visual zone is printed in a typeface and weight unlike the others: a sign that it was "
        "removed and printed again."),
}
DEFECT_IDS = tuple(DEFECTS)

# Pairs that are never applied together: either one would hide the other, or the two cannot hold at once.
EXCLUSIVE: frozenset[frozenset[str]] = frozenset({
    frozenset({"viz_mrz_birth_date", "birth_after_issue"}),  # which birth date would be "after issue"?
    frozenset({"birth_after_issue", "issue_after_expiry"}),  # both move the date of issue
    frozenset({"viz_mrz_nationality", "issuing_state_mismatch"}),  # two code clashes read as one
})

# The visual-zone entries one of which an ``inconsistent_font`` defect prints in another typeface.
FONT_FIELDS = ("surname", "given_names", "document_number", "birth_date", "place_of_birth", "issue_date",
               "expiry_date", "authority", "personal_number")
CHECK_DIGITS = ("document_number", "birth_date", "expiry_date", "personal_number", "composite")


def compatible(defects: Sequence[str]) -> bool:
    return not any(frozenset(pair) in EXCLUSIVE for pair in combinations(defects, 2))


def check_defects(defects: Sequence[str]) -> tuple[str, ...]:
    """The defects in catalogue order; ValueError for unknown, repeated or excluded combinations."""
    unknown = [d for d in defects if d not in DEFECTS]
    if unknown:
        raise ValueError(f"unknown defect {', '.join(map(repr, unknown))}; use {', '.join(DEFECT_IDS)}")
    if len(set(defects)) != len(defects):
        raise ValueError("a defect is listed twice")
    if not compatible(defects):
        pairs = [" and ".join(sorted(pair)) for pair in EXCLUSIVE if pair <= set(defects)]
        raise ValueError(f"these defects are never applied together: {'; '.join(sorted(pairs))}")
    return tuple(d for d in DEFECT_IDS if d in defects)


# --- The document ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisualZone:
    """What the data page prints, outside the MRZ. Equal to the true data unless a defect changed it."""

    issuing_state: str  # the code printed at the top of the page
    surname: str
    given_names: str
    nationality: str  # a code; printed with the state's demonym
    sex: str
    birth_date: date
    place_of_birth: str
    issue_date: date
    expiry_date: date
    authority: str
    document_number: str
    personal_number: str


@dataclass(frozen=True)
class Document:
    seed: str
    state: State  # the issuing state the data page shows
    surname: str
    given_names: str
    nationality: str
    sex: str
    birth_date: date
    issue_date: date
    expiry_date: date
    document_number: str
    personal_number: str
    place_of_birth: str
    authority: str
    viz: VisualZone
    mrz: tuple[str, ...]
    defects: tuple[str, ...]  # the answer key, in catalogue order; () means no defect
    inspection_date: date
    kind: str = KIND
    document_code: str = "P"
    # Rendering flags of the visual defects: how the portrait is drawn, and which entry uses another typeface.
    portrait: str = "intact"  # or "substituted"
    odd_font_field: str | None = None
    wrong_digit: str | None = None  # which check digit ``wrong_check_digit`` changed


def default_inspection_date(seed: int | str) -> date:
    """A fixed day in 2025-2027 derived from the seed, so a document's validity never depends on the clock."""
    return date(2025, 1, 1) + timedelta(days=random.Random(f"trainer-specimen/{seed}/day").randrange(3 * 365))


def choose_defects(seed: int | str) -> tuple[str, ...]:
    """No defect a quarter of the time; otherwise one defect (60 %) or two that go together (15 %)."""
    rng = random.Random(f"trainer-specimen/{seed}/defects")
    roll = rng.random()
    if roll < 0.25:
        return ()
    first = rng.choice(DEFECT_IDS)
    if roll < 0.85:
        return (first,)
    second = rng.choice([d for d in DEFECT_IDS if d != first and compatible((first, d))])
    return check_defects((first, second))


def generate(seed: int | str, defects: Sequence[str] | None = None,
             inspection_date: date | None = None) -> Document:
    """The specimen passport of ``seed``. ``defects`` forces the defects (``()`` forces none); when None they come
    from the seed. Raises ValueError on unknown or excluded defects."""
    return _generate(str(seed), None if defects is None else check_defects(defects), inspection_date)


@lru_cache(maxsize=512)
def _generate(seed: str, forced: tuple[str, ...] | None, inspection_date: date | None) -> Document:
    chosen = choose_defects(seed) if forced is None else forced
    on = inspection_date or default_inspection_date(seed)
    rng = random.Random(f"trainer-specimen/{seed}/data")
    state = rng.choice(list(STATES.values()))
    sex = rng.choice("FM")
    surname, given_names = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES[sex])
    number = "".join(rng.choice(mrz.LETTERS) for _ in range(2)) + "".join(rng.choice(mrz.DIGITS) for _ in range(7))
    personal = "".join(rng.choice(mrz.DIGITS) for _ in range(10))
    place = rng.choice(state.places)
    birth, issue, expiry = _dates(rng, on, chosen)
    true = VisualZone(state.code, surname, given_names, state.code, sex, birth, place, issue, expiry,
                      state.authority, number, personal)
    tamper = random.Random(f"trainer-specimen/{seed}/tamper")
    viz, mrz_state, flags = _tamper_viz(true, chosen, tamper)
    lines = mrz.generate_td3(issuing_state=mrz_state, surname=surname, given_names=given_names,
                             document_number=number, nationality=state.code, birth_date=birth, sex=sex,
                             expiry_date=expiry, personal_number=personal)
    if "wrong_check_digit" in chosen:
        flags["wrong_digit"] = tamper.choice(CHECK_DIGITS)
        lines = _wrong_digit(lines, flags["wrong_digit"], tamper)
    return Document(seed, state, surname, given_names, state.code, sex, birth, issue, expiry, number, personal,
                    place, state.authority, viz, tuple(lines), chosen, on, **flags)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _dates(rng: random.Random, on: date, defects: tuple[str, ...]) -> tuple[date, date, date]:
    """(birth, issue, expiry). Without date defects: born before issue, issued before the inspection day, valid
    on it. Each date defect breaks exactly its own rule."""
    validity, age = rng.choice((5, 10)), rng.randint(18 * 365, 70 * 365)
    u, v = rng.random(), rng.random()
    expired = "expired" in defects
    if "issue_after_expiry" in defects:
        if expired:  # expired some time ago, "issued" between the expiry and the inspection day
            expiry = on - timedelta(days=30 + int(u * 4 * 365))
            issue = expiry + timedelta(days=1 + int(v * ((on - expiry).days - 1)))
        else:  # still valid, so a date of issue after the expiry lies in the future
            expiry = on + timedelta(days=30 + int(u * 4 * 365))
            issue = expiry + timedelta(days=1 + int(v * 3 * 365))
    else:
        if expired:
            issue = on - timedelta(days=validity * 366 + 1 + int(u * 4 * 365))
        else:
            issue = on - timedelta(days=60 + int(u * (validity * 365 - 120)))
        expiry = _add_years(issue, validity) - timedelta(days=1)
    if "birth_after_issue" in defects:  # issue is then at least 60 days before the inspection day
        birth = issue + timedelta(days=1 + int(v * ((on - issue).days - 1)))
    else:
        birth = issue - timedelta(days=age)
    return birth, issue, expiry


def _other_state(code: str, rng: random.Random) -> str:
    return rng.choice(sorted(c for c in STATES if c != code))


def _alter(text: str, rng: random.Random, alphabets: Sequence[str]) -> str:
    """``text`` with one character (not the first) replaced by another of the same kind: a subtle change."""
    positions = [i for i, char in enumerate(text) if i > 0 and any(char in a for a in alphabets)]
    index = rng.choice(positions)
    pool = next(a for a in alphabets if text[index] in a)
    return text[:index] + rng.choice(pool.replace(text[index], "")) + text[index + 1:]


VOWELS, CONSONANTS = "AEIOU", "BCDFGHKLMNPRSTVZ"


def _tamper_viz(true: VisualZone, defects: tuple[str, ...], rng: random.Random) -> tuple[VisualZone, str, dict]:
    """The visual zone as printed, the issuing state the MRZ gives, and the rendering flags."""
    viz, flags = true, {}
    if "viz_mrz_name" in defects:
        viz = replace(viz, surname=_alter(viz.surname, rng, (VOWELS, CONSONANTS)))
    if "viz_mrz_birth_date" in defects:  # always earlier, so the birth stays before the date of issue
        if rng.random() < 0.5:
            viz = replace(viz, birth_date=_add_years(viz.birth_date, -rng.randint(1, 3)))
        else:
            viz = replace(viz, birth_date=viz.birth_date - timedelta(days=rng.randint(1, 40)))
    if "viz_mrz_number" in defects:
        viz = replace(viz, document_number=_alter(viz.document_number, rng, (mrz.DIGITS, mrz.LETTERS)))
    if "viz_mrz_sex" in defects:
        viz = replace(viz, sex="M" if viz.sex == "F" else "F")
    if "viz_mrz_nationality" in defects:
        viz = replace(viz, nationality=_other_state(viz.nationality, rng))
    mrz_state = _other_state(true.issuing_state, rng) if "issuing_state_mismatch" in defects else true.issuing_state
    if "photo_substitution" in defects:
        flags["portrait"] = "substituted"
    if "inconsistent_font" in defects:
        flags["odd_font_field"] = rng.choice(FONT_FIELDS)
    return viz, mrz_state, flags


def _wrong_digit(lines: list[str], name: str, rng: random.Random) -> list[str]:
    """One check digit changed; the composite recomputed after it, so exactly one check fails."""
    layout = mrz.LAYOUTS[KIND]
    grid = [list(line) for line in lines]
    line, start, _ = layout.composite if name == "composite" else layout.digits[name]
    old = grid[line][start]
    grid[line][start] = str((int(old if old.isdigit() else 0) + rng.randint(1, 9)) % 10)
    if name != "composite":
        over = "".join("".join(grid[n][s:e]) for n, s, e in layout.composite_over)
        line, start, _ = layout.composite
        grid[line][start] = str(mrz.check_digit(over))
    return ["".join(row) for row in grid]


# --- Checking -------------------------------------------------------------------------------------------------------


def yymmdd(day: date) -> str:
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def detect(document: Document) -> set[str]:
    """The defects found in the document's data alone (never in ``document.defects``): MRZ check digits, each
    visual-zone entry against the MRZ, dates against the inspection day, the issuing state; the two visual defects
    from the rendering flags."""
    return set(findings(document))


def findings(document: Document) -> dict[str, str]:
    """Each defect found, with what shows it on this document, in catalogue order."""
    result, viz, found = mrz.parse(list(document.mrz)), document.viz, {}
    fields = result.fields
    if not result.valid:
        found["wrong_check_digit"] = "; ".join(
            f"MRZ {c.positions}: the check digit over the {_CHECK_NAMES.get(c.name, c.name)} should be "
            f"{c.expected}, the MRZ shows {c.found}" for c in result.failed) + "."
    if mrz.name_field(viz.surname, viz.given_names, NAME_WIDTH) != document.mrz[0][5:]:
        found["viz_mrz_name"] = (f"The visual zone gives {viz.surname}, {viz.given_names}; the MRZ gives "
                                 f"{fields['surname']}, {fields['given_names']}.")
    if yymmdd(viz.birth_date) != fields["birth_date"]:
        found["viz_mrz_birth_date"] = (f"The visual zone gives {printed_date(viz.birth_date)} "
                                       f"({yymmdd(viz.birth_date)}); the MRZ gives {fields['birth_date']}.")
    if viz.document_number != fields["document_number"]:
        found["viz_mrz_number"] = (f"The visual zone gives {viz.document_number}; the MRZ gives "
                                   f"{fields['document_number']}.")
    if viz.sex != fields["sex"]:
        found["viz_mrz_sex"] = f"The visual zone gives {viz.sex}; the MRZ gives {fields['sex']}."
    if viz.nationality != fields["nationality"]:
        found["viz_mrz_nationality"] = (f"The visual zone gives {_nationality(viz.nationality)}; the MRZ gives "
                                        f"{fields['nationality']}.")
    expiry = mrz.expiry_on(result, document.inspection_date)
    if expiry is not None and expiry.kind == "expiry" and not expiry.ok:
        found["expired"] = (f"It expired on {printed_date(date.fromisoformat(expiry.found))}, before the "
                            f"inspection date {printed_date(document.inspection_date)}.")
    if viz.birth_date > viz.issue_date:
        found["birth_after_issue"] = (f"Born {printed_date(viz.birth_date)}, after the date of issue "
                                      f"{printed_date(viz.issue_date)}.")
    if viz.issue_date > viz.expiry_date:
        found["issue_after_expiry"] = (f"Issued {printed_date(viz.issue_date)}, after the date of expiry "
                                       f"{printed_date(viz.expiry_date)}.")
    if fields["issuing_state"] != viz.issuing_state:
        found["issuing_state_mismatch"] = (f"The data page gives the issuing state as {viz.issuing_state} "
                                           f"({STATES[viz.issuing_state].name}); the MRZ gives "
                                           f"{fields['issuing_state']}.")
    if document.portrait != "intact":
        found["photo_substitution"] = ("Look at the portrait's edges: the lines of the background print break "
                                       "there, and the laminate is lifted at its lower right corner.")
    if document.odd_font_field is not None:
        caption = next(LABELS[label] for label, value, *_ in LAYOUT if value == document.odd_font_field)
        found["inconsistent_font"] = f"The entry under \"{caption}\" is printed in another typeface."
    return {d: found[d] for d in DEFECT_IDS if d in found}


_CHECK_NAMES = {"document_number": "document number", "birth_date": "date of birth",
                "expiry_date": "date of expiry", "personal_number": "personal number",
                "composite": "document number, dates and personal number (composite)"}


# --- Drawing --------------------------------------------------------------------------------------------------------

# Field captions, in English by default (ICAO Doc 9303 Part 4: captions in the national language and English,
# French or Spanish). Pass translations to ``render_svg`` to show them in another language.
LABELS: dict[str, str] = {
    "document": "PASSPORT", "type": "Type", "code": "Code of issuing state", "number": "Passport No.",
    "surname": "Surname", "given_names": "Given names", "nationality": "Nationality",
    "personal_number": "Personal No.", "birth_date": "Date of birth", "sex": "Sex",
    "place_of_birth": "Place of birth", "issue_date": "Date of issue", "authority": "Authority",
    "expiry_date": "Date of expiry", "signature": "Holder's signature",
    "title": "Specimen passport data page of {state}, a fictitious state",
}
# The layout of the visual zone: (label key, value key, x, y of the caption); the value sits below its caption.
LAYOUT: tuple[tuple[str, str, int, int], ...] = (
    ("type", "type", 420, 118), ("code", "code", 560, 118), ("number", "document_number", 900, 118),
    ("surname", "surname", 420, 198), ("given_names", "given_names", 420, 273),
    ("nationality", "nationality", 420, 348), ("personal_number", "personal_number", 860, 348),
    ("birth_date", "birth_date", 420, 423), ("sex", "sex", 740, 423), ("place_of_birth", "place_of_birth", 860, 423),
    ("issue_date", "issue_date", 420, 498), ("authority", "authority", 740, 498),
    ("expiry_date", "expiry_date", 420, 573), ("signature", "", 860, 573),
)
WIDTH, HEIGHT = 1250, 880  # tenths of a millimetre: the 125 x 88 mm of an ID-3 data page (Doc 9303 Part 4)
PORTRAIT = (60, 150, 320, 410)  # x, y, width, height
VALUE_FONT = "Arial, Helvetica, Liberation Sans, sans-serif"
ODD_FONT = "Georgia, Times New Roman, Liberation Serif, serif"
MRZ_FONT = "OCR B, OCR-B, Consolas, Courier New, monospace"
INK, CAPTION_INK, HEADER_INK = "#1b1b1b", "#4d4d4d", "#23395d"
GUILLOCHE_INKS = ("#7fa893", "#c49ab0")
PORTRAIT_GROUND, SILHOUETTE = "#e3e8ee", "#7d8a96"  # a placeholder, never a real person's picture


def printed_date(day: date) -> str:
    """A date as the visual zone prints it: 12 AUG 1974."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def _nationality(code: str) -> str:
    return f"{STATES[code].demonym.upper()} / {code}"


def printed(document: Document) -> dict[str, str]:
    """Every visual-zone entry as printed, keyed like ``LABELS``."""
    viz = document.viz
    return {
        "type": document.document_code, "code": viz.issuing_state, "document_number": viz.document_number,
        "surname": viz.surname, "given_names": viz.given_names, "nationality": _nationality(viz.nationality),
        "personal_number": viz.personal_number, "birth_date": printed_date(viz.birth_date), "sex": viz.sex,
        "place_of_birth": viz.place_of_birth, "issue_date": printed_date(viz.issue_date),
        "authority": viz.authority, "expiry_date": printed_date(viz.expiry_date),
    }


def summary(document: Document, labels: Mapping[str, str] | None = None) -> dict:
    """The text of the data page for a page to show beside the drawing: captions and entries, and the MRZ."""
    text, values = _labels(labels), printed(document)
    return {
        "state": document.state.name, "code": document.viz.issuing_state,
        "inspection_date": document.inspection_date,
        "fields": [[text[label], values[value]] for label, value, *_ in LAYOUT if value],
        "mrz": list(document.mrz),
    }


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    unknown = set(labels or {}) - set(LABELS)
    if unknown:
        raise ValueError(f"unknown label {', '.join(sorted(unknown))}; use {', '.join(LABELS)}")
    return {**LABELS, **(labels or {})}


def _attrs(**values: object) -> str:
    return "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"'
                   for name, value in values.items())


def _text(x: float, y: float, content: str, size: int, **attrs: object) -> str:
    attrs = {"font_family": VALUE_FONT, "fill": INK, **attrs}
    return f"<text{_attrs(x=x, y=y, font_size=size, **attrs)}>{escape(content, quote=False)}</text>"


def _path(points: Sequence[tuple[float, float]], closed: bool = False) -> str:
    head, *rest = points
    data = f"M{head[0]:.0f} {head[1]:.0f}L" + " ".join(f"{x:.0f} {y:.0f}" for x, y in rest)
    return data + ("Z" if closed else "")


class _Wave(NamedTuple):
    y: float
    amplitude: float
    wavelength: float
    phase: float
    ink: str

    def points(self, x0: float, x1: float, dy: float = 0, dphase: float = 0) -> list[tuple[float, float]]:
        steps = max(2, math.ceil((x1 - x0) / 20))
        xs = [x0 + (x1 - x0) * i / steps for i in range(steps + 1)]
        return [(x, self.y + dy + self.amplitude * math.sin(2 * math.pi * x / self.wavelength + self.phase
                                                              + dphase)) for x in xs]


def _waves(rng: random.Random) -> list[_Wave]:
    """Pairs of sine lines in opposite phase: the braided look of a two-colour guilloche."""
    waves = []
    for index in range(8):
        y, amplitude, wavelength = 95 + index * 72 + rng.uniform(-8, 8), rng.uniform(14, 24), rng.uniform(170, 260)
        phase = rng.uniform(0, 2 * math.pi)
        for twist in (0, math.pi):
            waves.append(_Wave(y, amplitude, wavelength, phase + twist, GUILLOCHE_INKS[index % 2]))
    return waves


def _rosette(rng: random.Random, cx: float, cy: float) -> list[str]:
    paths = []
    for index in range(3):
        radius, depth, petals = 120 - index * 28, rng.uniform(8, 16), rng.choice((9, 12, 15, 18))
        turn = rng.uniform(0, 2 * math.pi)
        points = [(cx + (radius + depth * math.cos(petals * t + turn)) * math.cos(t),
                   cy + (radius + depth * math.cos(petals * t + turn)) * math.sin(t))
                  for t in (2 * math.pi * i / 144 for i in range(144))]
        paths.append(f"<path{_attrs(d=_path(points, closed=True), stroke=GUILLOCHE_INKS[index % 2])}/>")
    return paths


def _portrait(document: Document, waves: list[_Wave]) -> list[str]:
    x, y, w, h = PORTRAIT
    cx = x + w / 2
    substituted = document.portrait != "intact"
    turn = _attrs(transform=f"rotate(-1.6 {cx:.0f} {y + h / 2:.0f})") if substituted else ""
    shoulders = (f"M{x + 35} {y + h}C{x + 40} {y + 295} {cx - 60:.0f} {y + 262} {cx:.0f} {y + 262}"
                 f"C{cx + 60:.0f} {y + 262} {x + w - 40} {y + 295} {x + w - 35} {y + h}Z")
    parts = [f"<g{turn}>", f"<rect{_attrs(x=x, y=y, width=w, height=h, fill=PORTRAIT_GROUND, stroke='#9aa5b1')}/>",
             f"<ellipse{_attrs(cx=f'{cx:.0f}', cy=y + 150, rx=72, ry=88, fill=SILHOUETTE)}/>",
             f"<path{_attrs(d=shoulders, fill=SILHOUETTE)}/>", "</g>"]
    # Security print runs on over the portrait (Doc 9303 Part 2, against photo substitution). On a replaced
    # portrait it no longer meets the lines around it.
    shift = {"dy": 13, "dphase": 1.9} if substituted else {}
    over = [f"<path{_attrs(d=_path(wave.points(x, x + w, **shift)), stroke=wave.ink)}/>"
            for wave in waves if y + 25 < wave.y < y + h - 25]
    parts.append(f"<g{_attrs(fill='none', stroke_width=2, stroke_opacity=0.6)}>" + "".join(over) + "</g>")
    if substituted:  # the laminate lifted at the lower right corner: a pale flap and the shadow of its edge
        corner = (x + w, y + h)
        flap = [(corner[0] - 95, corner[1]), (corner[0], corner[1] - 120), corner]
        parts.append(f"<path{_attrs(d=_path(flap, closed=True), fill='#ffffff', fill_opacity=0.7)}/>")
        parts.append(f"<path{_attrs(d=_path(flap[:2]), stroke='#5a5a5a', stroke_width=3)}/>")
    return parts


def _signature(rng: random.Random, x: float, y: float) -> str:
    points = [(x + 18 * i, y + rng.uniform(-22, 14)) for i in range(12)]
    data = f"M{points[0][0]:.0f} {points[0][1]:.0f}" + "".join(
        f"Q{px - 9:.0f} {py - 30:.0f} {px:.0f} {py:.0f}" for px, py in points[1:])
    return f"<path{_attrs(d=data, fill='none', stroke='#1f3b73', stroke_width=3)}/>"


def render_svg(document: Document, labels: Mapping[str, str] | None = None) -> str:
    """The data page as static SVG: no script, no external reference, every text escaped, marked SPECIMEN.

    ``labels`` replaces some of ``LABELS`` (e.g. translated captions); ``{state}`` in ``title`` is the state."""
    text, values = _labels(labels), printed(document)
    rng = random.Random(f"trainer-specimen/{document.seed}/art")
    waves = _waves(rng)
    title = text["title"].replace("{state}", document.state.name)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{_attrs(viewBox=f"0 0 {WIDTH} {HEIGHT}", role="img")}'
        f'{_attrs(aria_label=title)}>',
        f"<title>{escape(title, quote=False)}</title>",
        f"<rect{_attrs(width=WIDTH, height=HEIGHT, rx=28, fill='#f5f1e4', stroke='#8c8c8c', stroke_width=3)}/>",
        f"<g{_attrs(fill='none', stroke_width=1.6, stroke_opacity=0.75)}>",
        *(f"<path{_attrs(d=_path(wave.points(0, WIDTH)), stroke=wave.ink)}/>" for wave in waves if wave.y < 620),
        *_rosette(rng, 1060, 330),
        "</g>",
        _text(60, 70, document.state.name.upper(), 40, font_weight=700, fill=HEADER_INK),
        _text(WIDTH - 60, 70, text["document"], 36, font_weight=700, fill=HEADER_INK, text_anchor="end"),
        *_portrait(document, waves),
    ]
    for label, value, x, y in LAYOUT:
        parts.append(_text(x, y, text[label], 19, fill=CAPTION_INK))
        if value:
            odd = value == document.odd_font_field
            parts.append(_text(x, y + 34, values[value], 30, font_family=ODD_FONT if odd else VALUE_FONT,
                               font_weight=400 if odd else 600))
    parts.append(_signature(rng, 870, 618))
    parts.append(f"<rect{_attrs(x=2, y=655, width=WIDTH - 4, height=HEIGHT - 655 - 2, fill='#fbfaf5')}/>")
    for index, line in enumerate(document.mrz):
        parts.append(_text(50, 750 + 85 * index, line, 44, font_family=MRZ_FONT, textLength=WIDTH - 100,
                           lengthAdjust="spacing"))
    parts.append(_text(WIDTH / 2, 470, "SPECIMEN", 190, font_weight=700, fill="#b0302a", fill_opacity=0.3,
                       text_anchor="middle", letter_spacing=14, transform=f"rotate(-22 {WIDTH / 2:.0f} 440)"))
    parts.append("</svg>")
    return "".join(parts)

"""The machine readable zone: ICAO Doc 9303 check digits, the five layouts, format errors, dates, generation."""
from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.content import mrz
from trainer.content.mrz import (
    arithmetic,
    birth_date_from,
    check_digit,
    detect_format,
    expiry_date_from,
    expiry_on,
    generate,
    generate_td1,
    generate_td3,
    parse,
)

ANNA = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "sex": "F"}

# ICAO's "Utopia" specimens (Doc 9303 Parts 4 to 7), each verified against the 9303 rules by these tests.
SPECIMENS = {
    "td3": (
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        {"document_code": "P", "issuing_state": "UTO", **ANNA, "document_number": "L898902C3",
         "nationality": "UTO", "birth_date": "740812", "expiry_date": "120415", "personal_number": "ZE184226B"},
    ),
    "td1": (
        ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
        {"document_code": "I", "issuing_state": "UTO", **ANNA, "document_number": "D23145890",
         "nationality": "UTO", "birth_date": "740812", "expiry_date": "120415", "optional_data": "",
         "optional_data_2": ""},
    ),
    "td2": (
        ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
        {"document_code": "I", "issuing_state": "UTO", **ANNA, "document_number": "D23145890",
         "nationality": "UTO", "birth_date": "740812", "expiry_date": "120415", "optional_data": ""},
    ),
    "mrva": (
        ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
        {"document_code": "V", "issuing_state": "UTO", **ANNA, "document_number": "L8988901C",
         "nationality": "XXX", "birth_date": "400907", "expiry_date": "961210", "optional_data": "6ZE184226B"},
    ),
    "mrvb": (
        ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
        {"document_code": "V", "issuing_state": "UTO", **ANNA, "document_number": "L8988901C",
         "nationality": "XXX", "birth_date": "400907", "expiry_date": "961210", "optional_data": ""},
    ),
}

# Where each check digit stands (line, position, counted from 1), straight from the 9303 layouts.
TWO_LINE_DIGITS = {"document_number": (2, 10), "birth_date": (2, 20), "expiry_date": (2, 28)}
DIGIT_POSITIONS = {
    "td3": {**TWO_LINE_DIGITS, "personal_number": (2, 43), "composite": (2, 44)},
    "td1": {"document_number": (1, 15), "birth_date": (2, 7), "expiry_date": (2, 15), "composite": (2, 30)},
    "td2": {**TWO_LINE_DIGITS, "composite": (2, 36)},
    "mrva": TWO_LINE_DIGITS,
    "mrvb": TWO_LINE_DIGITS,
}
DIGIT_CASES = [(fmt, name) for fmt, digits in DIGIT_POSITIONS.items() for name in digits]


def replace_char(lines, line, position, char):
    """A copy of the lines with one character replaced; line and position count from 1."""
    lines = list(lines)
    text = lines[line - 1]
    lines[line - 1] = text[:position - 1] + char + text[position:]
    return lines


def failing(result):
    return {check.name for check in result.checks if not check.ok}


def other_digit(char):
    return str((int(char) + 1) % 10)


def nudge(char):
    """Another character worth 1 more or less (9 less for 9): never a multiple of 10, so every check digit over
    it changes."""
    if char.isdigit():
        return other_digit(char)
    return "1" if char == "<" else "B" if char == "A" else chr(ord(char) - 1)


def td3_lines(number="L898902C3", birth="740812", expiry="120415", personal="ZE184226B<<<<<"):
    """A TD3 built by hand with correct check digits, whatever the dates say (for invalid calendar dates)."""
    digits = [number + str(check_digit(number)), birth + str(check_digit(birth)),
              expiry + str(check_digit(expiry)), personal + str(check_digit(personal))]
    line2 = digits[0] + "UTO" + digits[1] + "F" + digits[2] + digits[3]
    composite = check_digit(digits[0] + digits[1] + digits[2] + digits[3])
    return [SPECIMENS["td3"][0][0], line2 + str(composite)]


# --- Check digits -----------------------------------------------------------------------------------------------

def test_worked_example():
    assert check_digit("520727") == 3


def test_arithmetic_shows_the_working_of_the_worked_example():
    rows = arithmetic("520727")
    assert rows == [("5", 5, 7, 35), ("2", 2, 3, 6), ("0", 0, 1, 0), ("7", 7, 7, 49), ("2", 2, 3, 6),
                    ("7", 7, 1, 7)]
    assert sum(product for *_, product in rows) == 103


@pytest.mark.parametrize("text, digit", [("A", 0), ("B", 7), ("Z", 5), ("<", 0), ("<<<<<<<<<", 0), ("", 0),
                                         ("L898902C3", 6), ("D23145890734", 9), ("0<0", 0), ("9", 3)])
def test_letters_and_filler_have_their_values(text, digit):
    # A=10 -> 70, B=11 -> 77, Z=35 -> 245, 9 -> 63
    assert check_digit(text) == digit


@pytest.mark.parametrize("text", ["a", "l898902c3", "AB C", "É", "-", "1/2", "Ω"])
def test_check_digit_refuses_characters_outside_the_alphabet(text):
    with pytest.raises(ValueError):
        check_digit(text)


def test_check_digit_blind_spots():
    # A change worth 10 (C=12 -> M=22) and a transposition of values 5 apart (1 and 6) leave the digit as it was.
    assert check_digit("L898902C3") == check_digit("L898902M3")
    assert check_digit("16") == check_digit("61")


@given(st.text(alphabet=mrz.ALPHABET, min_size=1, max_size=44), st.data())
def test_a_single_change_is_caught_unless_worth_a_multiple_of_ten(text, data):
    index = data.draw(st.integers(0, len(text) - 1))
    char = data.draw(st.sampled_from(mrz.ALPHABET))
    changed = text[:index] + char + text[index + 1:]
    worth = mrz.char_value(char) - mrz.char_value(text[index])
    assert (check_digit(changed) == check_digit(text)) == (worth % 10 == 0)


# --- The specimens --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", SPECIMENS)
def test_specimen_is_valid_with_the_right_fields(fmt):
    lines, fields = SPECIMENS[fmt]
    result = parse(lines)
    assert result.format == fmt == detect_format(lines)
    assert result.format_errors == ()
    assert result.valid
    assert result.fields == fields
    assert result.lines == tuple(lines)


@pytest.mark.parametrize("fmt", SPECIMENS)
def test_specimen_check_digits_stand_where_9303_puts_them(fmt):
    result = parse(SPECIMENS[fmt][0])
    assert {check.name: (check.line, check.position) for check in result.checks} == DIGIT_POSITIONS[fmt]
    for check in result.checks:
        line, position = DIGIT_POSITIONS[fmt][check.name]
        assert check.positions == f"line {line}, position {position}"
        assert check.kind == "check_digit"
        assert check.found == SPECIMENS[fmt][0][line - 1][position - 1] == check.expected
        # what a web page shows: the working adds up to the digit
        assert str(sum(product for *_, product in arithmetic(check.over)) % 10) == check.expected


@pytest.mark.parametrize("fmt", SPECIMENS)
def test_generating_a_specimen_from_its_fields_gives_the_published_lines(fmt):
    lines, fields = SPECIMENS[fmt]
    assert generate(fmt, **fields) == lines


def test_composite_covers_what_9303_says():
    td3 = parse(SPECIMENS["td3"][0]).check("composite")
    assert td3.over == "L898902C36" + "7408122" + "1204159ZE184226B<<<<<1"
    assert td3.over_positions == "line 2, positions 1-10, 14-20, 22-43"
    td2 = parse(SPECIMENS["td2"][0]).check("composite")
    assert td2.over_positions == "line 2, positions 1-10, 14-20, 22-35"
    td1 = parse(SPECIMENS["td1"][0]).check("composite")
    assert td1.over == "D231458907" + "<" * 15 + "7408122" + "1204159" + "<" * 11
    assert td1.over_positions == "line 1, positions 6-30; line 2, positions 1-7, 9-15, 19-29"


@pytest.mark.parametrize("fmt", ["mrva", "mrvb"])
def test_visas_have_no_composite(fmt):
    assert parse(SPECIMENS[fmt][0]).check("composite") is None


# --- Corrupted specimens --------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, name", DIGIT_CASES)
def test_a_wrong_check_digit_fails_its_check_and_names_the_digit_due(fmt, name):
    lines = SPECIMENS[fmt][0]
    line, position = DIGIT_POSITIONS[fmt][name]
    right = lines[line - 1][position - 1]
    result = parse(replace_char(lines, line, position, other_digit(right)))
    check = result.check(name)
    assert not check.ok and not result.valid
    assert check.expected == right
    assert check.found == other_digit(right)
    # The composite covers the other check digits, so it fails along with them; visas have no composite.
    covered = "composite" in DIGIT_POSITIONS[fmt] and name != "composite"
    assert failing(result) == ({name, "composite"} if covered else {name})


DATA_CASES = [
    # (format, line, position, checks that must fail)
    ("td3", 2, 2, {"document_number", "composite"}),
    ("td3", 2, 15, {"birth_date", "composite"}),
    ("td3", 2, 23, {"expiry_date", "composite"}),
    ("td3", 2, 30, {"personal_number", "composite"}),
    ("td1", 1, 7, {"document_number", "composite"}),
    ("td1", 2, 2, {"birth_date", "composite"}),
    ("td1", 2, 10, {"expiry_date", "composite"}),
    ("td1", 1, 20, {"composite"}),  # optional data, line 1
    ("td1", 2, 20, {"composite"}),  # optional data, line 2
    ("td2", 2, 2, {"document_number", "composite"}),
    ("td2", 2, 15, {"birth_date", "composite"}),
    ("td2", 2, 23, {"expiry_date", "composite"}),
    ("td2", 2, 30, {"composite"}),  # optional data
    ("mrva", 2, 2, {"document_number"}),
    ("mrva", 2, 15, {"birth_date"}),
    ("mrva", 2, 23, {"expiry_date"}),
    ("mrva", 2, 30, set()),  # a visa's optional data is covered by no check digit
    ("mrvb", 2, 2, {"document_number"}),
    ("mrvb", 2, 15, {"birth_date"}),
    ("mrvb", 2, 23, {"expiry_date"}),
    ("mrvb", 2, 30, set()),
]


@pytest.mark.parametrize("fmt, line, position, expected", DATA_CASES)
def test_a_changed_data_character_fails_the_checks_covering_it(fmt, line, position, expected):
    lines = SPECIMENS[fmt][0]
    char = lines[line - 1][position - 1]
    new = nudge(char)
    result = parse(replace_char(lines, line, position, new))
    assert result.format_errors == ()
    assert failing(result) == expected
    assert result.valid is (not expected)


@pytest.mark.parametrize("fmt", SPECIMENS)
def test_names_are_covered_by_no_check_digit(fmt):
    lines = SPECIMENS[fmt][0]
    line = 3 if fmt == "td1" else 1
    where = lines[line - 1].index("ANNA") + 1
    result = parse(replace_char(lines, line, where, "E"))  # ANNA -> ENNA
    assert result.valid
    assert result.fields["given_names"] == "ENNA MARIA"


def test_c_to_m_in_the_document_number_passes_every_check():
    # The known blind spot: C=12 -> M=22 is worth 10. Only the visual zone can tell.
    lines = replace_char(SPECIMENS["td3"][0], 2, 8, "M")
    result = parse(lines)
    assert result.check("document_number").ok
    assert result.valid
    assert result.fields["document_number"] == "L898902M3"


def test_some_adjacent_transpositions_pass_every_check():
    # 2 and C (values 2 and 12) swapped in the document number: weights 1 and 7, the sums agree modulo 10.
    lines = SPECIMENS["td3"][0]
    swapped = [lines[0], lines[1][:6] + "C2" + lines[1][8:]]
    result = parse(swapped)
    assert result.fields["document_number"] == "L89890C23"
    assert result.valid


# --- Format errors --------------------------------------------------------------------------------------------

def assert_format_error(result, *fragments):
    assert not result.valid
    assert result.checks == () and result.fields == {}
    text = "\n".join(result.format_errors)
    for fragment in fragments:
        assert fragment in text, text


@pytest.mark.parametrize("lines, fragments", [
    ([], ["expected 2 lines", "or 3 lines (TD1), found 0"]),
    (["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"], ["a TD3 MRZ has 2 lines, found 1"]),
    (SPECIMENS["td3"][0] * 2, ["a TD3 MRZ has 2 lines, found 4"]),
    (SPECIMENS["td1"][0][:2], ["a TD1 MRZ has 3 lines, found 2"]),
    (["ABC", "DEF", "GHI", "JKL"], ["expected 2 lines", "found 4"]),
])
def test_wrong_line_count(lines, fragments):
    assert_format_error(parse(lines), *fragments)


def test_wrong_line_count_has_no_format_when_nothing_fits():
    assert parse(["ABC"]).format is None
    assert parse("").format is None


@pytest.mark.parametrize("fmt, line, fragment", [
    ("td3", 2, "line 2: expected 44 characters (TD3), found 43"),
    ("td3", 1, "line 1: expected 44 characters (TD3), found 43"),
    ("td1", 3, "line 3: expected 30 characters (TD1), found 29"),
    ("td2", 2, "line 2: expected 36 characters (TD2), found 35"),
    ("mrva", 2, "line 2: expected 44 characters (MRV-A), found 43"),
    ("mrvb", 2, "line 2: expected 36 characters (MRV-B), found 35"),
])
def test_wrong_line_length_names_the_line_and_both_lengths(fmt, line, fragment):
    lines = list(SPECIMENS[fmt][0])
    lines[line - 1] = lines[line - 1][:-1]
    result = parse(lines)
    assert result.format == fmt  # the format meant, for the message
    assert_format_error(result, fragment)


def test_a_line_too_long_is_reported():
    lines = [SPECIMENS["td3"][0][0], SPECIMENS["td3"][0][1] + "<"]
    assert_format_error(parse(lines), "line 2: expected 44 characters (TD3), found 45")


def test_lower_case_is_a_format_error_naming_line_and_position():
    lines = replace_char(SPECIMENS["td3"][0], 1, 25, "a")  # ...ANNA<MARIa
    assert_format_error(parse(lines), "line 1, position 25: 'a' is not an MRZ character", "lower case")


def test_nothing_is_upper_cased():
    lines = [line.lower() for line in SPECIMENS["td3"][0]]
    result = parse(lines)
    assert_format_error(result, "line 1, position 1: 'p'", "line 2, position 1: 'l'")
    assert len(result.format_errors) == sum(char.isalpha() for char in "".join(lines))


@pytest.mark.parametrize("char", [" ", "-", "«", "\u0660"])  # a space, a dash, an Arabic-Indic zero
def test_other_characters_are_format_errors(char):
    lines = replace_char(SPECIMENS["td2"][0], 2, 10, char)
    assert_format_error(parse(lines), f"line 2, position 10: {char!r} is not an MRZ character")


def test_format_errors_come_before_any_check():
    lines = replace_char(SPECIMENS["td3"][0], 2, 10, "0")  # a wrong check digit ...
    lines = replace_char(lines, 1, 7, "r")  # ... and a lower-case letter
    result = parse(lines)
    assert_format_error(result, "line 1, position 7")
    assert len(result.format_errors) == 1


@pytest.mark.parametrize("fmt, line, position, char, fragment", [
    ("td1", 1, 1, "V", "a TD1 document code is A, C or I"),
    ("td1", 1, 1, "P", "a TD1 document code is A, C or I"),
    ("td3", 1, 1, "I", "a TD3 document code is P"),
    ("td3", 1, 2, "1", "line 1, positions 1-2: a TD3 document code"),
    ("td2", 1, 1, "<", "a TD2 document code is a letter other than V"),
    ("td3", 2, 21, "X", "line 2, position 21: sex is F, M or <"),
    ("td1", 2, 8, "1", "line 2, position 8: sex is F, M or <"),
    ("td3", 1, 10, "5", "line 1, position 10: a name holds only letters and <"),
    ("td1", 3, 3, "0", "line 3, position 3: a name holds only letters and <"),
    ("td3", 1, 4, "1", "line 1, positions 3-5: the issuing state is a three-letter code"),
    ("mrva", 2, 11, "<", "line 2, positions 11-13: the nationality is a three-letter code"),
    ("td1", 2, 17, "7", "line 2, positions 16-18: the nationality"),
])
def test_field_rules_are_format_errors(fmt, line, position, char, fragment):
    result = parse(replace_char(SPECIMENS[fmt][0], line, position, char))
    assert_format_error(result, fragment)


def test_surrounding_whitespace_and_blank_lines_are_ignored():
    lines = SPECIMENS["td3"][0]
    text = f"\n  {lines[0]}  \r\n\t{lines[1]}\n\n"
    assert parse(text) == parse(lines) == parse([f" {lines[0]}", "", f"{lines[1]}\t"])
    assert parse(text).valid


@pytest.mark.parametrize("lines, fmt", [
    (SPECIMENS["td1"][0], "td1"),
    (SPECIMENS["td2"][0], "td2"),
    (SPECIMENS["td3"][0], "td3"),
    (SPECIMENS["mrva"][0], "mrva"),
    (SPECIMENS["mrvb"][0], "mrvb"),
    ("\n".join(SPECIMENS["td3"][0]), "td3"),
    (["V" * 30] * 3, "td1"),  # the shape says TD1; the V is then a format error
    (["v" * 44] * 2, "td3"),  # only an upper-case V makes a visa
    (["A" * 30] * 2, None),
    (["A" * 44, "A" * 36], None),
    (["A" * 44], None),
    ([], None),
])
def test_detect_format(lines, fmt):
    assert detect_format(lines) == fmt


# --- TD1 long document numbers --------------------------------------------------------------------------------

LONG = {"issuing_state": "UTO", **ANNA, "nationality": "UTO", "birth_date": "740812", "expiry_date": "120415"}


def test_td1_long_document_number():
    lines = generate_td1(document_number="D23145890734", **LONG)
    # position 15 '<', the number goes on at 16, then its check digit (9 over the whole number), then '<'
    assert lines[0] == "I<UTOD23145890<7349<<<<<<<<<<<"
    result = parse(lines)
    assert result.valid
    assert result.fields["document_number"] == "D23145890734"
    assert result.fields["optional_data"] == ""
    check = result.check("document_number")
    assert (check.over, check.positions, check.over_positions) == (
        "D23145890734", "line 1, position 19", "line 1, positions 6-14, 16-18")
    assert generate("td1", **result.fields) == lines


def test_td1_long_document_number_with_optional_data_after_it():
    lines = generate_td1(document_number="D23145890734", optional_data="AB12", **LONG)
    assert lines[0] == "I<UTOD23145890<7349<AB12<<<<<<"
    result = parse(lines)
    assert result.valid
    assert (result.fields["document_number"], result.fields["optional_data"]) == ("D23145890734", "AB12")


def test_td1_long_document_number_check_digit_is_checked():
    lines = replace_char(generate_td1(document_number="D23145890734", **LONG), 1, 19, "8")
    result = parse(lines)
    assert failing(result) == {"document_number", "composite"}
    assert result.check("document_number").expected == "9"


def test_td1_longest_document_number():
    number = "ABCDEFGHIJ0123456789KL"  # 22: 9, 13 more, the check digit and a filler fill the 15 positions
    lines = generate_td1(document_number=number, **LONG)
    assert lines[0][29] == "<"
    assert parse(lines).valid and parse(lines).fields["document_number"] == number
    with pytest.raises(ValueError, match="1 to 22 characters"):
        generate_td1(document_number=number + "M", **LONG)
    with pytest.raises(ValueError, match="optional data"):
        generate_td1(document_number="D23145890734", optional_data="ABCDEFGHIJK", **LONG)


@pytest.mark.parametrize("fmt", ["td2", "td3", "mrva", "mrvb"])
def test_only_td1_takes_long_document_numbers(fmt):
    fields = {**SPECIMENS[fmt][1], "document_number": "D23145890734"}
    with pytest.raises(ValueError, match="1 to 9 characters"):
        generate(fmt, **fields)


# --- TD3: the personal number check digit ---------------------------------------------------------------------

def test_td3_all_filler_personal_number_has_filler_check_digit():
    lines = generate("td3", **{**SPECIMENS["td3"][1], "personal_number": ""})
    assert lines[1][28:43] == "<" * 15
    result = parse(lines)
    assert result.valid
    check = result.check("personal_number")
    assert (check.ok, check.expected, check.found) == (True, "<", "<")


def test_td3_all_filler_personal_number_accepts_zero_too():
    lines = generate("td3", **{**SPECIMENS["td3"][1], "personal_number": ""})
    result = parse(replace_char(lines, 2, 43, "0"))  # '<' and '0' both count 0 in the composite
    assert result.valid
    assert result.check("personal_number").expected == "0"


def test_td3_all_filler_personal_number_refuses_other_digits():
    lines = generate("td3", **{**SPECIMENS["td3"][1], "personal_number": ""})
    result = parse(replace_char(lines, 2, 43, "7"))
    assert failing(result) == {"personal_number", "composite"}
    assert result.check("personal_number").expected == "<"


def test_td3_filler_check_digit_is_wrong_when_there_is_a_personal_number():
    result = parse(replace_char(SPECIMENS["td3"][0], 2, 43, "<"))
    assert failing(result) == {"personal_number", "composite"}
    assert result.check("personal_number").expected == "1"


# --- Dates ----------------------------------------------------------------------------------------------------

def test_expiry_on():
    result = parse(SPECIMENS["td3"][0])  # expires 2012-04-15
    for day, ok in [(date(2011, 1, 1), True), (date(2012, 4, 15), True), (date(2012, 4, 16), False)]:
        check = expiry_on(result, day)
        assert (check.name, check.ok, check.kind) == ("expired", ok, "expiry")
        assert check.found == "2012-04-15"
        assert check.expected == f"on or after {day.isoformat()}"
        assert check.positions == "line 2, positions 22-27"
    assert result.valid  # expiry is no part of validity


def test_expiry_on_reads_expiry_as_20yy():
    check = expiry_on(parse(SPECIMENS["mrvb"][0]), date(2030, 1, 1))
    assert check.ok and check.found == "2096-12-10"
    assert expiry_on(parse(SPECIMENS["td1"][0]), date(2030, 1, 1)).positions == "line 2, positions 9-14"


def test_expiry_on_needs_a_readable_mrz():
    assert expiry_on(parse(["nonsense"]), date(2020, 1, 1)) is None
    assert expiry_on(parse(replace_char(SPECIMENS["td3"][0], 1, 1, "p")), date(2020, 1, 1)) is None


def test_invalid_expiry_date_is_a_check_failure_not_a_crash():
    result = parse(td3_lines(expiry="121340"))
    assert result.format_errors == ()
    assert failing(result) == {"expiry_date_format"}  # every check digit is right
    check = result.check("expiry_date_format")
    assert (check.kind, check.found, check.positions) == ("date", "121340", "line 2, positions 22-27")
    assert not result.valid
    on = expiry_on(result, date(2020, 1, 1))
    assert (on.name, on.ok, on.found) == ("expiry_date_format", False, "121340")


@pytest.mark.parametrize("birth, ok", [("991340", False), ("990001", False), ("990132", False),
                                       ("010229", False), ("000229", True), ("991231", True)])
def test_invalid_birth_date_is_a_check_failure(birth, ok):
    result = parse(td3_lines(birth=birth))
    assert result.format_errors == ()
    assert failing(result) == (set() if ok else {"birth_date_format"})
    if not ok:
        assert result.check("birth_date_format").positions == "line 2, positions 14-19"


def test_non_digit_dates_fail_the_date_check():
    result = parse(td3_lines(birth="74O812"))  # letter O for zero
    assert failing(result) == {"birth_date_format"}


@pytest.mark.parametrize("yymmdd, reference, expected", [
    ("740812", date(2024, 1, 1), date(1974, 8, 12)),
    ("200101", date(2024, 1, 1), date(2020, 1, 1)),
    ("240101", date(2024, 1, 1), date(2024, 1, 1)),  # today is not in the future
    ("240102", date(2024, 1, 1), date(1924, 1, 2)),
    ("000229", date(2024, 1, 1), date(2000, 2, 29)),
])
def test_birth_date_century_is_never_in_the_future(yymmdd, reference, expected):
    assert birth_date_from(yymmdd, reference) == expected


@pytest.mark.parametrize("yymmdd", ["991340", "000230", "7408", "74081A", "<<<<<<"])
def test_birth_date_from_refuses_non_dates(yymmdd):
    with pytest.raises(ValueError):
        birth_date_from(yymmdd, date(2024, 1, 1))


def test_birth_date_from_refuses_29_february_1900_when_2000_is_in_the_future():
    with pytest.raises(ValueError):
        birth_date_from("000229", date(1999, 12, 31))


def test_expiry_date_from():
    assert expiry_date_from("120415") == date(2012, 4, 15)
    assert expiry_date_from("961210") == date(2096, 12, 10)
    for text in ("121340", "010229", "12041", "ABCDEF"):
        with pytest.raises(ValueError):
            expiry_date_from(text)


# --- Generating -----------------------------------------------------------------------------------------------

def test_generate_takes_date_objects():
    fields = {**SPECIMENS["td3"][1], "birth_date": date(1974, 8, 12), "expiry_date": date(2012, 4, 15)}
    assert generate("td3", **fields) == SPECIMENS["td3"][0]


def test_names_are_padded_and_cut_to_the_field():
    fields = {**SPECIMENS["td3"][1], "surname": "VAN DER BERG-SMITH", "given_names": "ANNA  MARIA"}
    assert generate("td3", **fields)[0] == "P<UTOVAN<DER<BERG<SMITH<<ANNA<MARIA".ljust(44, "<")
    long_name = {**SPECIMENS["td3"][1], "surname": string.ascii_uppercase, "given_names": "ABCDEFGHIJKLMNOP"}
    lines = generate("td3", **long_name)
    assert lines[0] == "P<UTO" + string.ascii_uppercase + "<<ABCDEFGHIJK"
    result = parse(lines)
    assert result.valid
    assert (result.fields["surname"], result.fields["given_names"]) == (string.ascii_uppercase, "ABCDEFGHIJK")
    only_surname = generate("td1", **{**SPECIMENS["td1"][1], "surname": "A" * 40, "given_names": ""})
    assert only_surname[2] == "A" * 30


def test_a_single_name_has_no_separator():
    lines = generate("td2", **{**SPECIMENS["td2"][1], "surname": "ERIKSSON", "given_names": ""})
    assert lines[0] == "I<UTOERIKSSON" + "<" * 23
    assert parse(lines).fields["given_names"] == ""


@pytest.mark.parametrize("change, message", [
    ({"surname": "Eriksson"}, "transliterate"),
    ({"surname": "ÉRIKSSON"}, "transliterate"),
    ({"given_names": "O'NEIL"}, "transliterate"),
    ({"surname": ""}, "surname"),
    ({"sex": "X"}, "sex is F, M or <"),
    ({"birth_date": "991340"}, "birth date must be YYMMDD"),
    ({"expiry_date": "1204"}, "expiry date must be YYMMDD"),
    ({"expiry_date": date(1996, 12, 10)}, "expiry date must be YYMMDD"),
    ({"document_number": ""}, "document number"),
    ({"document_number": "L8989<2C3"}, "document number"),
    ({"issuing_state": "UTOPIA"}, "issuing state"),
    ({"nationality": "ut"}, "nationality"),
    ({"document_code": "I"}, "a TD3 document code is P"),
    ({"document_code": "PPP"}, "a TD3 document code is P"),
    ({"personal_number": "ZE184226B123456"}, "personal number has 15 characters; the field holds 14"),
    ({"personal_number": "ze1"}, "personal number holds only"),
])
def test_generate_refuses_values_that_do_not_fit(change, message):
    with pytest.raises(ValueError, match=message):
        generate("td3", **{**SPECIMENS["td3"][1], **change})


def test_generate_refuses_unknown_formats():
    with pytest.raises(ValueError, match="unknown MRZ format"):
        generate("td4", **SPECIMENS["td3"][1])


def test_visa_code_must_be_v():
    with pytest.raises(ValueError, match="MRV-B document code is V"):
        generate("mrvb", **{**SPECIMENS["mrvb"][1], "document_code": "I"})


def test_generated_td3_matches_the_hand_built_one():
    fields = {**SPECIMENS["td3"][1], "document_number": "X1234567", "personal_number": "ABC"}
    assert generate_td3(**fields) == td3_lines(number="X1234567<", personal="ABC<<<<<<<<<<<")


# --- Properties -----------------------------------------------------------------------------------------------

UPPER = string.ascii_uppercase
WORD = st.text(alphabet=UPPER, min_size=1, max_size=12)
CODES = st.one_of(st.sampled_from(["UTO", "XXA", "XXB", "XXC", "XXX", "MNG", "D"]),
                  st.text(alphabet=UPPER, min_size=1, max_size=3))
BIRTH = st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda day: day.strftime("%y%m%d"))
EXPIRY = st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(lambda day: day.strftime("%y%m%d"))
NAME_WIDTH = {"td1": 30, "td2": 31, "td3": 39, "mrva": 39, "mrvb": 31}
CODE_FIRST = {"td1": "ACI", "td2": UPPER.replace("V", ""), "td3": "P", "mrva": "V", "mrvb": "V"}
OPTIONAL = {"td1": {"optional_data": 15, "optional_data_2": 11}, "td2": {"optional_data": 7},
            "td3": {"personal_number": 14}, "mrva": {"optional_data": 16}, "mrvb": {"optional_data": 8}}


@st.composite
def documents(draw, fmt):
    number = draw(st.text(alphabet=UPPER + string.digits, min_size=1, max_size=22 if fmt == "td1" else 9))
    values = {
        "document_code": draw(st.sampled_from(CODE_FIRST[fmt])) + draw(st.sampled_from(["", *UPPER])),
        "issuing_state": draw(CODES),
        "surname": " ".join(draw(st.lists(WORD, min_size=1, max_size=3))),
        "given_names": " ".join(draw(st.lists(WORD, max_size=3))),
        "document_number": number,
        "nationality": draw(CODES),
        "birth_date": draw(BIRTH),
        "sex": draw(st.sampled_from("FM<")),
        "expiry_date": draw(EXPIRY),
    }
    for name, width in OPTIONAL[fmt].items():
        if name == "optional_data" and fmt == "td1" and len(number) > 9:
            width -= len(number) - 9 + 2  # the rest of the number, its check digit and a filler come first
        values[name] = draw(st.text(alphabet=mrz.ALPHABET, max_size=width))
    return values


def expected_fields(fmt, values):
    surname, given_names = mrz.split_name(mrz.name_field(values["surname"], values["given_names"], NAME_WIDTH[fmt]))
    expected = {**values, "surname": surname, "given_names": given_names}
    for name in OPTIONAL[fmt]:
        expected[name] = values[name].rstrip("<")
    return expected


@given(st.data(), st.sampled_from(mrz.FORMATS))
def test_generate_then_parse_round_trips(data, fmt):
    values = data.draw(documents(fmt))
    lines = generate(fmt, **values)
    result = parse(lines)
    assert result.format == fmt
    assert result.valid, (lines, result.failed)
    assert result.fields == expected_fields(fmt, values)
    full_name = values["surname"] + ("<<" + values["given_names"] if values["given_names"] else "")
    if len(full_name) <= NAME_WIDTH[fmt]:
        assert (result.fields["surname"], result.fields["given_names"]) == (values["surname"],
                                                                            values["given_names"])
    assert generate(fmt, **result.fields) == lines
    assert parse("\n".join(lines)) == result


@given(st.data(), st.sampled_from(mrz.FORMATS))
def test_any_other_digit_in_a_check_digit_position_is_invalid(data, fmt):
    lines = generate(fmt, **data.draw(documents(fmt)))
    checks = parse(lines).checks
    assert {check.name for check in checks} >= {"document_number", "birth_date", "expiry_date"}
    for check in checks:
        allowed = {check.found, "0"} if check.found == "<" else {check.found}  # TD3: '<' or '0' (Part 4)
        wrong = data.draw(st.sampled_from([digit for digit in string.digits if digit not in allowed]))
        broken = parse(replace_char(lines, check.line, check.position, wrong))
        assert not broken.valid
        assert not broken.check(check.name).ok
        assert broken.check(check.name).expected == check.expected

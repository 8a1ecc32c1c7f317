"""Roster CSV import: good files in every accepted shape, each kind of bad file with its exact line, column and
message, every problem at once, the row limit, and random rosters written by csv.writer reading back unchanged."""
from __future__ import annotations

import codecs
import csv
import io
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.imports.roster import (
    FORMULA_MESSAGE,
    Reference,
    RosterProblem,
    RosterRow,
    parse_roster,
    template_csv,
    template_csv_bytes,
)

GABP, IAM = 1, 2
ROAD, RAIL, ALTANBULAG, AIRPORT = 10, 11, 12, 13
REF = Reference(
    agencies={
        "GABP": GABP, "General Authority for Border Protection": GABP, "Хил хамгаалах ерөнхий газар": GABP,
        "Главное управление пограничной охраны": GABP,
        "IAM": IAM, "Immigration Agency of Mongolia": IAM, "Гадаадын иргэн, харьяатын газар": IAM,
    },
    stations={
        "Zamiin-Uud road crossing": ROAD, "Замын-Үүд авто боомт": ROAD,
        "Zamiin-Uud railway crossing": RAIL, "Замын-Үүд төмөр замын боомт": RAIL,
        "Altanbulag crossing": ALTANBULAG, "Алтанбулаг боомт": ALTANBULAG,
        "Chinggis Khaan International Airport": AIRPORT, "Чингис хаан олон улсын нисэх буудал": AIRPORT,
    },
    languages=("en", "mn", "ru"),
)
HEADER = "full name,username,email,agency,duty station,language"


def parse(text: str, reference: Reference = REF, **kwargs):
    return parse_roster(text.encode("utf-8"), reference, **kwargs)


def problems(text: str, **kwargs) -> list[tuple[int | None, str | None, str]]:
    result = parse(text, **kwargs)
    assert not result.ok
    return [(p.line, p.column, p.message) for p in result.problems]


def only_problem(text: str, **kwargs) -> tuple[int | None, str | None, str]:
    found = problems(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def row(line, full_name, username=None, email=None, agency_id=None, duty_station_id=None, language=None):
    return RosterRow(line, full_name, username, email, agency_id, duty_station_id, language)


GOOD = (f"{HEADER}\n"
        "Bat-Erdene Dorj,Bat-Erdene.Dorj,,GABP,Zamiin-Uud railway crossing,en\n"
        "Өнөрмаа Түвшинжаргал,,Onormaa.T@Example.com,Хил хамгаалах ерөнхий газар,Замын-Үүд авто боомт,mn\n"
        "Иванов Иван Иванович,ivanov,ivanov@example.ru,iam,chinggis khaan international airport,Русский\n"
        "Sarnai Bold,sarnai,,,,\n")
GOOD_ROWS = [
    row(2, "Bat-Erdene Dorj", "bat-erdene.dorj", None, GABP, RAIL, "en"),
    row(3, "Өнөрмаа Түвшинжаргал", None, "onormaa.t@example.com", GABP, ROAD, "mn"),
    row(4, "Иванов Иван Иванович", "ivanov", "ivanov@example.ru", IAM, AIRPORT, "ru"),
    row(5, "Sarnai Bold", "sarnai"),
]


# --- good files ----------------------------------------------------------------------------------------------------


def test_a_good_file_gives_clean_rows():
    result = parse(GOOD)
    assert result.ok
    assert result.problems == ()
    assert list(result.rows) == GOOD_ROWS
    assert (result.row_count, result.encoding, result.delimiter) == (4, "utf-8", ",")


def test_a_byte_order_mark_is_accepted_and_not_part_of_the_first_header():
    result = parse_roster(codecs.BOM_UTF8 + GOOD.encode(), REF)
    assert result.ok and list(result.rows) == GOOD_ROWS
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(newline):
    assert list(parse(GOOD.replace("\n", newline)).rows) == GOOD_ROWS


def test_semicolons_as_excel_writes_them_in_russian_and_mongolian_locales():
    text = ("Full name;Username;Email;Agency;Duty station;Language\n"
            "Dorj, Bat-Erdene;bat;;GABP;;en\n"
            '"Bold; Sarnai";sarnai;;;;\n')
    result = parse(text)
    assert result.ok and result.delimiter == ";"
    assert list(result.rows) == [row(2, "Dorj, Bat-Erdene", "bat", None, GABP, None, "en"),
                                 row(3, "Bold; Sarnai", "sarnai")]


def test_tabs():
    result = parse("full name\tusername\nБат\tbat\n")
    assert result.ok and result.delimiter == "\t"
    assert list(result.rows) == [row(2, "Бат", "bat")]


def test_excel_sep_line_sets_the_delimiter_and_counts_as_a_line():
    result = parse("sep=;\nfull name;username\nDorj, Bat;bat\n")
    assert result.ok
    assert list(result.rows) == [row(3, "Dorj, Bat", "bat")]


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_a_byte_order_mark_as_excel_unicode_text(bom, codec):
    text = "full name\tusername\tlanguage\r\nӨнөрмаа Түвшинжаргал\tonormaa\tмонгол\r\n"
    result = parse_roster(bom + text.encode(codec), REF)
    assert result.ok and result.encoding == "utf-16"
    assert list(result.rows) == [row(2, "Өнөрмаа Түвшинжаргал", "onormaa", language="mn")]


@pytest.mark.parametrize("header", [
    "Овог нэр,Нэвтрэх нэр,Имэйл,Байгууллага,Алба хаах байршил,Хэл",
    "ФИО,Логин,Эл. почта,Ведомство,Место службы,Язык",
    "  FULL_NAME , Login ,E-MAIL,agency code,Post,Language (en/mn/ru)",
    "Name*,User name,e-mail address,Organisation,Station,lang",
    "нэр,логин,и-мэйл,агентлаг,боомт,язык",
])
def test_localised_and_loosely_written_headers(header):
    result = parse(f"{header}\nБат,bat,bat@example.mn,GABP,Алтанбулаг боомт,ru\n")
    assert result.ok, result.problems
    assert list(result.rows) == [row(2, "Бат", "bat", "bat@example.mn", GABP, ALTANBULAG, "ru")]


def test_columns_in_any_order_and_only_the_required_ones():
    result = parse("email,full name\nbat@example.mn,Бат\n")
    assert list(result.rows) == [row(2, "Бат", None, "bat@example.mn")]


def test_cyrillic_names_round_trip_in_nfc():
    name = "Өлзийбаяр Үүрийнтуяа Ёндонжамц Щукина"
    decomposed = unicodedata.normalize("NFD", "Йөндөн Ёндонжамц")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    result = parse(f"full name,username\n{name},a1\n{decomposed},a2\n")
    assert [r.full_name for r in result.rows] == [name, "Йөндөн Ёндонжамц"]


def test_blank_lines_and_empty_rows_are_skipped_but_lines_still_count():
    text = f"\n{HEADER}\n\nБат,bat,,,,\n,,,,,\n   ,  ,,,,\n\nДорж,dorj,,,,\n\n\n"
    assert list(parse(text).rows) == [row(4, "Бат", "bat"), row(8, "Дорж", "dorj")]


def test_cells_are_stripped_and_usernames_and_emails_lowercased():
    result = parse("full name,username,email\n  Бат Дорж\u00a0 ,  BAT.Dorj ,  Bat@GABP.gov.MN \n")
    assert list(result.rows) == [row(2, "Бат Дорж", "bat.dorj", "bat@gabp.gov.mn")]


def test_agencies_and_stations_match_whatever_the_case_spacing_and_punctuation():
    text = ("full name,username,agency,duty station\n"
            "A,a1,  gabp ,ZAMIIN UUD   ROAD CROSSING\n"
            "B,b1,immigration agency of mongolia,замын-үүд төмөр замын боомт\n"
            "C,c1,ГЛАВНОЕ УПРАВЛЕНИЕ ПОГРАНИЧНОЙ ОХРАНЫ,altanbulag-crossing\n"
            "D,d1,Гадаадын иргэн харьяатын газар,Чингис хаан олон улсын нисэх буудал\n")
    assert [(r.agency_id, r.duty_station_id) for r in parse(text).rows] == [
        (GABP, ROAD), (IAM, RAIL), (GABP, ALTANBULAG), (IAM, AIRPORT)]


@pytest.mark.parametrize("value, code", [
    ("en", "en"), ("EN", "en"), ("en-GB", "en"), ("mn_MN", "mn"), ("ru-RU", "ru"),
    ("English", "en"), ("mongolian", "mn"), ("Монгол", "mn"), ("монгол хэл", "mn"), ("Русский", "ru"),
    ("russian", "ru"), ("орос", "ru"), ("Англи хэл", "en"),
])
def test_language_codes_tags_and_names(value, code):
    assert parse(f"full name,username,language\nБат,bat,{value}\n").rows[0].language == code


def test_a_row_number_column_is_ignored():
    result = parse("№,full name,username\n1,Бат,bat\n2,Дорж,dorj\n")
    assert [r.username for r in result.rows] == ["bat", "dorj"]
    assert parse("#,full name,username\n1,Бат,bat\n").ok


def test_empty_trailing_columns_from_excel_are_harmless():
    assert parse("full name,username,,\nБат,bat,,\nДорж,dorj\n").ok


def test_the_template_is_a_valid_roster_with_a_cyrillic_name():
    text = template_csv()
    assert text.splitlines()[0] == HEADER
    assert "Өнөрмаа Түвшинжаргал" in text
    data = template_csv_bytes(REF)
    assert data.startswith(codecs.BOM_UTF8)
    result = parse_roster(data, REF)
    assert result.ok
    assert list(result.rows) == [
        row(2, "Bat-Erdene Dorj", "bat-erdene.dorj", None, GABP, ROAD, "en"),
        row(3, "Өнөрмаа Түвшинжаргал", None, "onormaa.t@example.com", GABP, ROAD, "mn"),
    ]


# --- the whole file ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8, b" \r\n\n\t\n", b",,,\n,,\n"])
def test_an_empty_file(data):
    result = parse_roster(data, REF)
    assert not result.ok and result.rows == ()
    assert [(p.line, p.column) for p in result.problems] == [(None, None)]
    assert result.problems[0].message.startswith("the file is empty")


def test_a_header_without_rows():
    assert only_problem(f"{HEADER}\n\n") == (
        None, None, "the roster has a header but no trainees: add one line per trainee below it")


def test_cp1251_is_refused_with_the_line_of_the_first_bad_byte():
    text = "full name,username\nBat,bat\nБат,bat2\n"
    result = parse_roster(text.encode("cp1251"), REF)
    assert result.rows == ()
    assert result.problems == (RosterProblem(
        3, None, "not UTF-8 text: byte 28 (0xC1) is not valid UTF-8 (Cyrillic saved by older Excel is usually "
                 'Windows-1251); save the file as CSV UTF-8 (in Excel: File, Save As, "CSV UTF-8 (Comma delimited)")'),)


def test_utf16_without_a_byte_order_mark_is_refused():
    result = parse_roster("full name,username\nБат,bat\n".encode("utf-16-le"), REF)
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (1, "the file contains NUL characters, so it is not UTF-8 text (perhaps UTF-16 without a byte-order mark)")]


def test_broken_utf16_is_refused():
    result = parse_roster(codecs.BOM_UTF16_LE + "full name".encode("utf-16-le") + b"\x00", REF)
    assert result.problems[0].message.startswith("the file starts like UTF-16 text but is not valid UTF-16")


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_an_excel_workbook_is_recognised(magic):
    result = parse_roster(magic + b"\x00" * 40, REF)
    assert result.problems[0].message.startswith(
        "this is an Excel workbook, not a CSV file: save the file as CSV UTF-8")


def test_malformed_quoting_is_reported_at_its_line():
    assert only_problem('full name,username\nБат,bat\n"Dorj" Bat,dorj\nБолд,bold\n') == (
        3, None, "this line is not valid CSV (',' expected after '\"'): a value containing a comma, a double quote or "
                 "a line break must be in double quotes, with any double quote inside it doubled")
    line, _, message = only_problem('full name,username\nБат,bat\n"Dorj, Bat,dorj\nБолд,bold\n')
    assert (line, message.split(":")[0]) == (3, "this line is not valid CSV (unexpected end of data)")


def test_missing_columns_are_named_with_the_columns_found():
    assert problems("Name2,Login\nБат,bat\n") == [
        (1, "Name2", "unknown column 'Name2'; did you mean 'full name'? (the columns are: full name, username, "
                     "email, agency, duty station, language; delete any other column)"),
        (1, None, "missing column: full name. Columns found: 'Name2', 'Login'"),
    ]
    assert problems("full name,agency\nБат,GABP\n") == [
        (1, None, "missing column: username or email (at least one of them). Columns found: 'full name', 'agency'")]
    assert problems("agency,language\nGABP,mn\n")[-1] == (
        1, None, "missing columns: full name; username or email (at least one of them). "
                 "Columns found: 'agency', 'language'")


def test_unknown_columns_are_refused_so_typos_are_caught():
    assert problems("full name,username,Agancy,Notes\nБат,bat,GABP,x\n") == [
        (1, "Agancy", "unknown column 'Agancy'; did you mean 'agency'? (the columns are: full name, username, email, "
                      "agency, duty station, language; delete any other column)"),
        (1, "Notes", "unknown column 'Notes' (the columns are: full name, username, email, agency, duty station, "
                     "language; delete any other column)"),
    ]


def test_a_column_given_twice():
    assert problems("full name,username,Нэр\nБат,bat,Бат\n") == [
        (1, "Нэр", "column 'Нэр' repeats column 'full name' (both are the full name): delete one of them")]


def test_split_name_columns_are_explained():
    assert problems("Овог,Нэр,username\nДоржийн,Бат,bat\n") == [
        (1, "Овог", "column 'Овог' holds part of a name, but this import takes the whole name in one 'full name' "
                    "column: combine the name columns into one")]


def test_a_file_without_a_header():
    assert only_problem("Бат,bat,bat@example.mn\nДорж,dorj,\n") == (
        1, None, "the first line must name the columns, for example: "
                 "full name,username,email,agency,duty station,language; it has no known column name")


def test_more_rows_than_the_limit_are_refused_quickly_without_reading_them():
    body = "".join(f"Өнөрмаа Түвшинжаргал {i},user{i},user{i}@example.mn,GABP,Замын-Үүд авто боомт,mn\n"
                   for i in range(10_000))
    data = f"{HEADER}\n{body}".encode()
    start = time.perf_counter()
    result = parse_roster(data, REF)
    assert time.perf_counter() - start < 1
    assert result.rows == () and result.row_count == 10_000
    assert result.problems == (
        RosterProblem(None, None, "the roster has 10000 rows; the limit is 5000 per import: split the file"),)


def test_the_limit_counts_data_rows_only():
    text = f"{HEADER}\n\nA,a1,,,,\n\nB,b1,,,,\nC,c1,,,,\n"
    assert parse(text, max_rows=3).ok
    assert only_problem(text, max_rows=2) == (
        None, None, "the roster has 3 rows; the limit is 2 per import: split the file")


# --- rows ----------------------------------------------------------------------------------------------------------


def test_over_long_names():
    assert parse(f"full name,username\n{'Ө' * 160},bat\n").ok
    result = parse(f"full name,username\n{'Ө' * 161},bat\n")
    assert [(p.line, p.column, p.message, p.value) for p in result.problems] == [
        (2, "full name", "the full name is 161 characters long; the limit is 160", "Ө" * 59 + "…")]


def test_an_empty_name():
    assert only_problem("full name,username\n ,bat\n") == (2, "full name", "the full name is empty")


@pytest.mark.parametrize("cell, code, at", [
    ('"Бат\nДорж"', "U+000A", 4), ("Бат\u200bДорж", "U+200B", 4), ("\u202eБат", "U+202E", 1),
    ("Бат\x07", "U+0007", 4), ("Бат\u2028Дорж", "U+2028", 4),
])
def test_control_and_invisible_characters(cell, code, at):
    assert only_problem(f"full name,username\n{cell},bat\n") == (
        2, "full name", f"contains an invisible or control character ({code}) at character {at}: retype the value")


def test_a_cell_with_a_line_break_is_reported_where_its_row_starts():
    text = 'full name,username\nБат,bat\n"Дорж\nБолд",dorj\nСарнай,"sa\nrnai"\nЦэцэг,tsetseg\n'
    assert [(line, column) for line, column, _ in problems(text)] == [(3, "full name"), (5, "username")]
    assert [r.line for r in parse(text).rows] == [2, 7]


@pytest.mark.parametrize("column, cell", [
    ("full name", '"=HYPERLINK(""http://x"",""Бат"")"'), ("full name", "+7 Бат"), ("full name", "-Бат"),
    ("full name", "@SUM(A1)"), ("full name", '"\tБат"'), ("full name", '"\r=1+1"'), ("full name", "  =1+1"),
    ("full name", "\uff1d1+1"), ("username", "=bat"), ("email", "+bat@example.mn"), ("agency", "=GABP"),
    ("duty station", "-"), ("language", "@mn"),
])
def test_formulas_are_refused_in_every_column(column, cell):
    cells = {"full name": "Бат", "username": "bat", "email": "", "agency": "", "duty station": "", "language": ""}
    cells[column] = cell
    text = f"{HEADER}\n{','.join(cells.values())}\n"
    assert only_problem(text) == (2, column, FORMULA_MESSAGE)


@pytest.mark.parametrize("username", ["б", "bat dorj", "батдорж", ".bat", "_bat", "b", "bat!", "x" * 65])
def test_invalid_usernames(username):
    assert only_problem(f"full name,username\nБат,{username}\n") == (
        2, "username", f"username '{username[:59] + '…' if len(username) > 60 else username}' is not valid: a "
                       "username is 2 to 64 characters: Latin letters a-z, digits, dots, dashes or underscores, "
                       "starting with a letter or digit")


def test_valid_username_edges():
    assert [r.username for r in parse(f"full name,username\nA,ab\nB,{'x' * 64}\nC,0.a_b-c\n").rows] == [
        "ab", "x" * 64, "0.a_b-c"]


def test_invalid_email_addresses():
    assert problems("full name,email\nА,bat@\nБ,bat\nВ,a..b@example.mn\nГ,bat@localhost\n") == [
        (2, "email", "email address 'bat@' is not valid: There must be something after the @-sign."),
        (3, "email", "email address 'bat' is not valid: An email address must have an @-sign."),
        (4, "email", "email address 'a..b@example.mn' is not valid: An email address cannot have two periods in a "
                     "row."),
        (5, "email", "email address 'bat@localhost' is not valid: The part after the @-sign is not valid. It should "
                     "have a period."),
    ]
    long = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".mn"
    assert len(long) == 255
    assert only_problem(f"full name,email\nБат,{long}\n") == (
        2, "email", "the email address is 255 characters long; the limit is 254")


def test_a_username_or_an_email_is_needed():
    assert problems("full name,username,email\nБат,,\nДорж,dorj,\nБолд,,bold@example.mn\n") == [
        (2, "username", "give a username or an email address (at least one)")]
    assert only_problem("full name,email\nБат,\n") == (
        2, "email", "give a username or an email address (at least one)")


def test_an_invalid_username_is_not_also_reported_as_missing():
    assert only_problem("full name,username,email\nБат,б,\n")[1] == "username"


def test_unknown_agency_lists_valid_values():
    assert only_problem("full name,username,agency\nБат,bat,Border police\n") == (
        2, "agency", "unknown agency 'Border police'; use one of: GABP, IAM (or the agency's name)")
    assert only_problem("full name,username,agency\nБат,bat,GAPB\n")[2] == (
        "unknown agency 'GAPB' (did you mean 'GABP'?); use one of: GABP, IAM (or the agency's name)")


def test_unknown_station_suggests_the_closest():
    assert only_problem("full name,username,duty station\nБат,bat,Zamin Ud\n") == (
        2, "duty station", "unknown duty station 'Zamin Ud' (did you mean 'Zamiin-Uud road crossing'?); use one of: "
                           "Zamiin-Uud road crossing, Zamiin-Uud railway crossing, Altanbulag crossing, Chinggis Khaan "
                           "International Airport (or the station's name in another language)")


def test_long_lists_of_valid_values_are_shortened():
    reference = Reference(agencies={}, stations={f"Station {n}": n for n in range(10)})
    assert problems("full name,username,duty station,agency\nБат,bat,Nowhere,GABP\n", reference=reference) == [
        (2, "duty station", "unknown duty station 'Nowhere'; use one of: Station 0, Station 1, Station 2, Station 3, "
                            "Station 4, Station 5 and 4 more (or the station's name in another language)"),
        (2, "agency", "unknown agency 'GABP'; no agency is set up yet: leave the cell empty"),
    ]


def test_a_spelling_shared_by_two_stations_is_ambiguous():
    reference = Reference(agencies={}, stations={"Zamiin-Uud road crossing": 1, "Zamiin-Uud": 1, "Zamiin Uud": 2})
    assert only_problem("full name,username,duty station\nБат,bat,zamiin-uud\n", reference=reference) == (
        2, "duty station", "duty station 'zamiin-uud' names more than one duty station; use the station's name in "
                           "another language")


def test_unknown_language():
    assert only_problem("full name,username,language\nБат,bat,Chinese\n") == (
        2, "language", "unknown language 'Chinese'; use one of: en (English), mn (Монгол), ru (Русский), "
                       "or leave the cell empty")
    assert parse("full name,username,language\nБат,bat,Chinese\n",
                 reference=Reference({}, {}, ("en", "mn", "zh"))).rows[0].language == "zh"


def test_duplicate_usernames_and_emails_whatever_the_case():
    text = ("full name,username,email\n"
            "Бат,bat,bat@example.mn\n"
            "Дорж,dorj,dorj@example.mn\n"
            "Бат Дорж,BAT,\n"
            "Болд,bold,Dorj@Example.MN\n")
    assert problems(text) == [
        (4, "username", "username 'bat' is also on line 2: each trainee needs their own"),
        (5, "email", "email address 'dorj@example.mn' is also on line 3: each trainee needs their own"),
    ]
    assert [r.line for r in parse(text).rows] == [2, 3]


def test_a_repeated_row_is_one_problem():
    text = f"{HEADER}\nБат,bat,bat@example.mn,GABP,,mn\nДорж,dorj,,,,\nбат, BAT ,BAT@example.mn,gabp,,MN\n"
    assert problems(text) == [(4, None, "this line repeats line 2: delete one of them")]


def test_a_duplicate_is_reported_even_when_its_row_has_other_problems():
    assert problems("full name,username,agency\nБат,bat,GABP\nБат,bat,Nowhere\n") == [
        (3, "username", "username 'bat' is also on line 2: each trainee needs their own"),
        (3, "agency", "unknown agency 'Nowhere'; use one of: GABP, IAM (or the agency's name)"),
    ]


def test_same_names_are_fine():
    assert len(parse("full name,username\nБат,bat1\nБат,bat2\n").rows) == 2


def test_an_unquoted_comma_gives_more_cells_than_columns():
    assert problems("full name,username\nDorj, Bat,bat\nБолд,bold\n") == [
        (2, None, "this line has 3 cells but the header has 2 columns: put a value containing a comma in double "
                  "quotes"),
    ]
    assert problems("full name;username\nDorj; Bat;bat\n") == [
        (2, None, "this line has 3 cells but the header has 2 columns: put a value containing a semicolon in double "
                  "quotes"),
    ]


def test_a_value_under_a_blank_header():
    assert problems("full name,,username\nБат,x,bat\n") == [
        (2, None, "a value in column 2, which has no header: name the column or delete the value")]


def test_short_rows_are_padded_with_blanks():
    assert list(parse(f"{HEADER}\nБат,bat\n").rows) == [row(2, "Бат", "bat")]


# --- all at once ---------------------------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_and_no_row_is_written():
    text = ("Full name;Login;E-mail;Agency;Station;Хэл;Notes\n"
            "Бат;bat;bat@example.mn;GABP;Замын-Үүд авто боомт;монгол;\n"
            "=cmd;dorj;dorj@;Border police;Nowhere;Chinese;\n"
            "\n"
            ";;;;;;\n"
            f"{'Ө' * 161};BAT;;;;;\n"
            "Болд;;;;;;\n")
    result = parse(text)
    assert not result.ok
    assert [(p.line, p.column) for p in result.problems] == [
        (1, "Notes"),
        (3, "Full name"), (3, "E-mail"), (3, "Agency"), (3, "Station"), (3, "Хэл"),
        (6, "Full name"), (6, "Login"),
        (7, "Login"),
    ]
    assert [r.line for r in result.rows] == [2]  # for a preview only: result.ok is False


def test_problems_are_capped():
    text = "full name,username\n" + "".join(f"Бат {n},=x{n}\n" for n in range(300))
    result = parse(text)
    assert len(result.problems) == 201
    assert result.problems[199] == RosterProblem(201, "username", FORMULA_MESSAGE, "=x199")
    assert result.problems[200] == RosterProblem(
        None, None, "… and 100 more problems: fix these and upload the file again")
    assert len(parse(text, max_problems=10).problems) == 11


def test_problems_read_well():
    assert str(RosterProblem(7, "agency", "unknown agency 'X'", "X")) == "line 7, column agency: unknown agency 'X'"
    assert str(RosterProblem(1, None, "missing column")) == "line 1: missing column"
    assert str(RosterProblem(None, None, "the file is empty")) == "the file is empty"


def test_invisible_characters_are_spelled_out_in_messages():
    message = only_problem("full name,username\nБат,b\u200bat\n")[2]
    assert "\u200b" not in message and "U+200B" in message


# --- random rosters ------------------------------------------------------------------------------------------------

MONGOLIAN = "АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"
NAME_CHARS = st.one_of(
    st.sampled_from(MONGOLIAN + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'.,;\"\u00a0"),
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
)


def _clean_name(name: str) -> bool:
    return (name == name.strip() and 0 < len(name) <= 160 and unicodedata.normalize("NFC", name) == name
            and not name.startswith(("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")))


names = st.text(NAME_CHARS, min_size=1, max_size=160).map(lambda s: unicodedata.normalize("NFC", s).strip()).filter(
    _clean_name)
usernames = st.from_regex(r"[a-z0-9][a-z0-9._-]{1,20}", fullmatch=True)
trainees = st.lists(
    st.tuples(names, st.one_of(st.none(), usernames), st.booleans(), st.sampled_from([None, *REF.agencies]),
              st.sampled_from([None, *REF.stations]), st.sampled_from([None, "en", "mn", "ru", "Монгол", "russian"])),
    min_size=1, max_size=20,
).map(lambda rows: [r for n, r in enumerate(rows) if (r[1] or r[2]) and r[1] not in {o[1] for o in rows[:n] if o[1]}]
      ).filter(bool)


@settings(max_examples=60, deadline=None)
@given(trainees, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_rosters_written_by_csv_writer_read_back_unchanged(people, delimiter, encoding, newline, upper):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["Full Name", "Username", "E-mail", "Agency", "Duty station", "Language"])
    expected = []
    for number, (name, username, with_email, agency, station, language) in enumerate(people):
        email = f"trainee{number}@example.mn" if with_email else None
        shown = [(value.upper() if upper else value) if value else "" for value in (username, email)]
        writer.writerow([name, *shown, agency or "", station or "", language or ""])
        code = {"Монгол": "mn", "russian": "ru"}.get(language, language)
        expected.append(row(number + 2, name, username, email, REF.agencies.get(agency), REF.stations.get(station),
                            code))
    result = parse_roster(out.getvalue().encode(encoding), REF)
    assert result.problems == ()
    assert list(result.rows) == expected

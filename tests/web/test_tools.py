"""The MRZ checker: command line and page."""
from __future__ import annotations

import json

import pytest

from tests.helpers import post_form, text_of

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]


def check(runner, *args):
    result = runner.invoke(args=["mrz", "check", *args])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("lines, fmt", [(TD3, "td3"), (TD1, "td1")])
def test_cli_judges_specimens_valid(runner, lines, fmt):
    code, report = check(runner, *lines)
    assert code == 0 and report["valid"] and report["format"] == fmt
    assert report["fields"]["surname"] == "ERIKSSON"
    assert all({"name", "ok", "expected", "found"} <= set(c) for c in report["checks"])


def test_cli_names_the_failing_check(runner):
    corrupted = [TD3[0], TD3[1][:19] + "3" + TD3[1][20:]]  # birth date check digit 2 -> 3
    code, report = check(runner, *corrupted)
    assert code == 1 and not report["valid"]
    failed = {c["name"]: c for c in report["checks"] if not c["ok"]}
    assert failed["birth_date"]["expected"] == "2" and failed["birth_date"]["found"] == "3"
    assert "composite" in failed


def test_cli_format_errors_come_first(runner):
    code, report = check(runner, TD3[0], TD3[1][:-1])
    assert code == 2 and report["format_errors"] and report["checks"] == []


def test_cli_expiry_only_with_on(runner):
    code, report = check(runner, *TD3)
    assert code == 0 and not any(c["name"] == "expired" for c in report["checks"])
    code, report = check(runner, *TD3, "--on", "2011-01-01")
    assert code == 0 and report["checks"][-1]["name"] == "expired" and report["checks"][-1]["ok"]
    code, report = check(runner, *TD3, "--on", "2026-11-22")
    assert code == 1 and report["valid"]  # valid speaks of format and digits; the expiry check fails apart


def test_checker_page_shows_fields_checks_and_arithmetic(as_role):
    client = as_role("trainee")
    assert client.get("/tools/mrz").status_code == 200
    page = text_of(post_form(client, "/tools/mrz", {"lines": "\n".join(TD3)}))
    assert "Format and check digits are valid" in page and "ERIKSSON" in page
    assert "How the Date of birth check digit is computed" in page
    assert "Sum: 316. Check digit = sum modulo 10 = 6." in page  # L898902C3: 147+24+9+56+27+0+14+36+3
    assert "What a check digit cannot catch" in page


def test_checker_page_reports_bad_input_clearly(as_role):
    client = as_role("coordinator")
    wrong = text_of(post_form(client, "/tools/mrz", {"lines": TD3[0] + "\n" + TD3[1].replace("6", "7", 1)}))
    assert "A check digit is wrong" in wrong and "Wrong" in wrong
    garbage = text_of(post_form(client, "/tools/mrz", {"lines": "hello\nworld"}))
    assert "Not a well-formed MRZ" in garbage
    too_long = post_form(client, "/tools/mrz", {"lines": "<" * 500})
    assert too_long.status_code == 400 and "Field cannot be longer than 200 characters." in text_of(too_long)
    bad_date = post_form(client, "/tools/mrz", {"lines": "\n".join(TD3), "on": "31.02.2026"})
    assert bad_date.status_code == 400 and "Not a valid date value." in text_of(bad_date)


def test_checker_page_flags_an_expired_document(as_role):
    client = as_role("trainee")
    page = text_of(post_form(client, "/tools/mrz", {"lines": "\n".join(TD3), "on": "2026-11-22"}))
    assert "Format and check digits are valid" in page  # valid speaks of format and digits only
    assert "The document had expired by the chosen date (expiry 2012-04-15)." in page
    assert 'class="card result result--fail"' in page

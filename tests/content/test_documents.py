"""Specimen documents: determinism, a valid MRZ that matches the visual zone, every defect found by the check it
belongs to, safe SVG; and the document-inspection question type (validation, answers, partial credit)."""
from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from itertools import combinations

import pytest
from flask import render_template
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pydantic import ValidationError

from trainer.content import documents, mrz, questions
from trainer.content.documents import DEFECT_IDS, DEFECTS, NO_DEFECT, compatible, detect, generate, render_svg
from trainer.content.questions import REGISTRY, AnswerError
from trainer.content.questions.inspection import FIRST_DAY, LAST_DAY, OPTION_IDS, DocumentInspectionQuestion, practice
from trainer.content.schema import QUESTION_ADAPTER  # after the package import: the union holds every type

SEEDS = range(60)
SVG = "{http://www.w3.org/2000/svg}"
INSPECTION = questions.get("document_inspection")


def fields_of(document) -> dict[str, str]:
    result = mrz.parse(list(document.mrz))
    assert result.format == "td3" and not result.format_errors
    return result.fields


# Each defect's own check, written here apart from ``documents.detect``: true when the defect shows.
def _viz_name(doc) -> bool:
    fields = fields_of(doc)
    return (fields["surname"], fields["given_names"]) != (doc.viz.surname, doc.viz.given_names.replace("-", " "))


CHECKS = {
    "wrong_check_digit": lambda doc: not mrz.parse(list(doc.mrz)).valid,
    "viz_mrz_name": _viz_name,
    "viz_mrz_birth_date": lambda doc: fields_of(doc)["birth_date"] != doc.viz.birth_date.strftime("%y%m%d"),
    "viz_mrz_number": lambda doc: fields_of(doc)["document_number"] != doc.viz.document_number,
    "viz_mrz_sex": lambda doc: fields_of(doc)["sex"] != doc.viz.sex,
    "viz_mrz_nationality": lambda doc: fields_of(doc)["nationality"] != doc.viz.nationality,
    "expired": lambda doc: not mrz.expiry_on(mrz.parse(list(doc.mrz)), doc.inspection_date).ok,
    "birth_after_issue": lambda doc: doc.viz.birth_date > doc.viz.issue_date,
    "issue_after_expiry": lambda doc: doc.viz.issue_date > doc.viz.expiry_date,
    "issuing_state_mismatch": lambda doc: fields_of(doc)["issuing_state"] != doc.viz.issuing_state,
    "photo_substitution": lambda doc: "rotate(" in portrait_group(render_svg(doc)),
    "inconsistent_font": lambda doc: len(value_fonts(render_svg(doc))) > 1,
}


def portrait_group(svg: str) -> str:
    """The first group after the header: the portrait (the guilloche group comes before it)."""
    return svg[svg.index("</g>") + 4:].split("<g", 2)[1]


def value_fonts(svg: str) -> set[str]:
    """Font families of the visual-zone entries (30-unit text), apart from the MRZ and the SPECIMEN mark."""
    root = ET.fromstring(svg)
    return {t.get("font-family") for t in root.iter(f"{SVG}text") if t.get("font-size") == "30"}


def shows(doc) -> set[str]:
    return {defect for defect, check in CHECKS.items() if check(doc)}


# --- generator ------------------------------------------------------------------------------------------------------

def test_same_seed_same_document():
    first = generate(7)
    documents._generate.cache_clear()
    again = generate("7")
    assert first == again and render_svg(first) == render_svg(again)
    assert generate(7, ["expired"], date(2026, 1, 5)) == generate(7, ("expired",), date(2026, 1, 5))
    assert len({generate(seed).mrz for seed in SEEDS}) == len(SEEDS)


def test_pinned_documents():
    """Stored attempts keep only the seed: changing what a seed draws changes every stored item and its key."""
    assert generate(1).defects == ("issuing_state_mismatch",)
    assert generate(1).mrz == ("P<UTOLINDQVIST<<GANZORIG<<<<<<<<<<<<<<<<<<<<",
                               "SF31098235QRA7012314M35121820935221279<<<<64")
    assert generate(2).defects == () and generate(2).inspection_date == date(2027, 7, 26)


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_document_round_trip(seed):
    doc = generate(seed, defects=())
    result = mrz.parse(list(doc.mrz))
    assert result.valid and result.format == "td3"
    assert mrz.generate("td3", **result.fields) == list(doc.mrz)  # parse and generate agree
    fields, viz = result.fields, doc.viz
    assert fields["issuing_state"] == fields["nationality"] == viz.issuing_state == viz.nationality
    assert viz.issuing_state in documents.STATES and re.fullmatch(r"Q[M-Z][A-Z]|UTO", viz.issuing_state)
    assert (fields["surname"], fields["given_names"]) == (viz.surname, viz.given_names.replace("-", " "))
    assert fields["document_number"] == viz.document_number and fields["sex"] == viz.sex
    assert fields["personal_number"] == viz.personal_number
    assert fields["birth_date"] == viz.birth_date.strftime("%y%m%d")
    assert fields["expiry_date"] == viz.expiry_date.strftime("%y%m%d")
    assert viz.birth_date < viz.issue_date <= doc.inspection_date <= viz.expiry_date
    assert mrz.expiry_on(result, doc.inspection_date).ok
    assert doc.defects == () and detect(doc) == set() and shows(doc) == set()
    assert doc.viz == documents.VisualZone(doc.state.code, doc.surname, doc.given_names, doc.nationality, doc.sex,
                                           doc.birth_date, doc.place_of_birth, doc.issue_date, doc.expiry_date,
                                           doc.authority, doc.document_number, doc.personal_number)


@pytest.mark.parametrize("defect", DEFECT_IDS)
def test_each_defect_is_found_by_its_own_check(defect):
    for seed in SEEDS:
        doc = generate(seed, [defect])
        assert doc.defects == (defect,)
        assert shows(doc) == {defect}, seed  # its own check finds it, and no other check fires
        assert detect(doc) == {defect}, seed
        assert set(documents.findings(doc)) == {defect}


def test_a_wrong_check_digit_is_exactly_one_failed_check():
    names = set()
    for seed in SEEDS:
        doc = generate(seed, ["wrong_check_digit"])
        failed = mrz.parse(list(doc.mrz)).failed
        assert [check.name for check in failed] == [doc.wrong_digit]
        names.add(doc.wrong_digit)
    assert names == set(documents.CHECK_DIGITS)


def test_every_compatible_pair():
    for pair in combinations(DEFECT_IDS, 2):
        if not compatible(pair):
            with pytest.raises(ValueError, match="never applied together"):
                generate(1, pair)
            continue
        for seed in range(8):
            doc = generate(seed, pair)
            assert detect(doc) == shows(doc) == set(pair), (pair, seed)


def test_bad_defect_lists_are_refused():
    with pytest.raises(ValueError, match="unknown defect"):
        generate(1, ["smudge"])
    with pytest.raises(ValueError, match="twice"):
        generate(1, ["expired", "expired"])


def test_defects_drawn_from_the_seed():
    drawn = [documents.choose_defects(seed) for seed in range(2000)]
    assert 0.2 < sum(not d for d in drawn) / len(drawn) < 0.3  # "no defect" about a quarter of the time
    assert all(len(d) <= 2 and compatible(d) and list(d) == sorted(d, key=DEFECT_IDS.index) for d in drawn)
    assert {x for d in drawn for x in d} == set(DEFECT_IDS)
    assert any(len(d) == 2 for d in drawn)


@settings(max_examples=150, deadline=None)
@given(seed=st.one_of(st.integers(min_value=0, max_value=2**63 - 1), st.text(max_size=12)),
       on=st.one_of(st.none(), st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)))
def test_any_seed_detects_its_own_defects(seed, on):
    doc = generate(seed, inspection_date=on)
    assert detect(doc) == shows(doc) == set(doc.defects)
    assert mrz.parse(list(doc.mrz)).valid == ("wrong_check_digit" not in doc.defects)
    if on is not None:
        assert doc.inspection_date == on


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**9),
       chosen=st.sets(st.sampled_from(DEFECT_IDS), max_size=5).filter(compatible),
       on=st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_any_compatible_set_of_defects(seed, chosen, on):
    doc = generate(seed, sorted(chosen), on)
    assert detect(doc) == shows(doc) == chosen
    svg = render_svg(doc)
    assert "SPECIMEN" in svg and len(svg.encode()) < 30_000


# --- drawing --------------------------------------------------------------------------------------------------------

ALLOWED_TAGS = {"svg", "title", "g", "rect", "path", "ellipse", "text"}


def assert_safe(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, so every text was escaped
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and "specimen" in root.get("aria-label").lower()
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in ALLOWED_TAGS
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and "href" not in name and name != "style"
            assert "url(" not in value and "javascript:" not in value.lower()
    assert "<script" not in svg.lower() and "href=" not in svg and "<style" not in svg and "<!--" not in svg
    assert not re.search(r"\son\w+\s*=", svg)
    return root


@pytest.mark.parametrize("seed", range(20))
def test_svg_is_safe_small_and_marked_specimen(seed):
    doc = generate(seed)
    svg = render_svg(doc)
    root = assert_safe(svg)
    assert root.get("viewBox") == "0 0 1250 880"  # 125 x 88 mm, ID-3
    assert len(svg.encode()) < 30_000
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "SPECIMEN" in texts and list(doc.mrz) == [t for t in texts if t and len(t) == 44]
    for caption in ("Surname", "Given names", "Nationality", "Date of birth", "Sex", "Place of birth",
                    "Date of issue", "Date of expiry", "Authority", "Passport No."):
        assert caption in texts
    for value in documents.printed(doc).values():
        assert value in texts
    for defect in doc.defects:  # nothing in the drawing names the answer
        assert defect not in svg and DEFECTS[defect].label not in svg


def test_captions_can_be_translated_and_are_escaped():
    doc = generate(3, ())
    svg = render_svg(doc, {"surname": "Овог", "given_names": '<script>alert("x")</script>',
                           "title": "Загвар, specimen: {state}"})
    root = assert_safe(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Овог" in texts and '<script>alert("x")</script>' in texts and "Surname" not in texts
    assert root.get("aria-label") == f"Загвар, specimen: {doc.state.name}"
    with pytest.raises(ValueError, match="unknown label"):
        render_svg(doc, {"nickname": "x"})


def test_visual_defects_are_drawn():
    doc = generate(11, ["photo_substitution", "inconsistent_font"])
    clean = replace(doc, portrait="intact", odd_font_field=None)
    assert "rotate(" in portrait_group(render_svg(doc)) and "rotate(" not in portrait_group(render_svg(clean))
    assert portrait_group(render_svg(doc)) != portrait_group(render_svg(clean))
    assert value_fonts(render_svg(doc)) == {documents.VALUE_FONT, documents.ODD_FONT}
    odd = [t.text for t in ET.fromstring(render_svg(doc)).iter(f"{SVG}text")
           if t.get("font-family") == documents.ODD_FONT]
    assert odd == [documents.printed(doc)[doc.odd_font_field]]
    assert value_fonts(render_svg(clean)) == {documents.VALUE_FONT}
    assert detect(clean) == set()


# --- the question type ----------------------------------------------------------------------------------------------

def question(**data) -> DocumentInspectionQuestion:
    return QUESTION_ADAPTER.validate_python({"id": "doc", "type": "document_inspection", "seed": 5, **data})


def grade(q, *picked):
    return INSPECTION.grade(q, INSPECTION.parse(q, {"answer": list(picked)}))


def test_registered_and_validated_through_the_schema():
    assert "document_inspection" in REGISTRY
    q = question()
    assert isinstance(q, DocumentInspectionQuestion) and q.stem.startswith("Inspect this specimen")
    assert q.offered() == OPTION_IDS and q.key() == (generate(5).defects or (NO_DEFECT,))
    stored = QUESTION_ADAPTER.validate_python(q.model_dump(mode="json"))  # as an attempt stores and reloads it
    assert stored == q and stored.document() == q.document()
    dated = question(defects=["expired"], inspection_date="2026-02-03")
    assert dated.document().inspection_date == date(2026, 2, 3)
    assert QUESTION_ADAPTER.validate_python(dated.model_dump(mode="json")) == dated


@pytest.mark.parametrize("data, message", [
    ({"defects": ["smudge"]}, "unknown defect"),
    ({"defects": ["birth_after_issue", "issue_after_expiry"]}, "never applied together"),
    ({"options": ["expired", "guess"]}, "unknown option"),
    ({"options": ["expired", "expired"]}, "must be unique"),
    ({"options": ["expired"]}, "at least 2"),
    ({"defects": ["viz_mrz_sex"], "options": ["expired", "no_defect"]}, "leave out the right answer: viz_mrz_sex"),
    ({"defects": [], "options": ["expired", "viz_mrz_sex"]}, "leave out the right answer: no_defect"),
    ({"seed": -1}, "greater than or equal to 0"),
    ({"seed": 2**63}, "less than"),
    ({"colour": "red"}, "Extra inputs"),
    ({"inspection_date": "1999-12-31"}, "greater than or equal to 2006-01-01"),
    ({"inspection_date": "2081-01-01"}, "less than or equal to 2080-12-31"),
])
def test_invalid_questions(data, message):
    with pytest.raises(ValidationError, match=message):
        question(**data)


def test_prepare_is_stable_for_an_authored_seed():
    q = question(defects=["wrong_check_digit", "photo_substitution"])
    first, again = INSPECTION.prepare(q, random.Random("a/doc")), INSPECTION.prepare(q, random.Random("a/doc"))
    assert first == again and "SPECIMEN" in first["svg"]
    assert sorted(first["order"]) == sorted(OPTION_IDS) and first["order"][-1] == NO_DEFECT
    assert first["labels"][NO_DEFECT] == "No defect" and first["document"]["mrz"] == list(q.document().mrz)
    orders = {tuple(INSPECTION.prepare(q, random.Random(n))["order"]) for n in range(10)}
    assert len(orders) > 1 and all(order[-1] == NO_DEFECT for order in orders)
    fixed = question(defects=["expired"], shuffle=False, options=["no_defect", "expired", "viz_mrz_sex"])
    assert INSPECTION.prepare(fixed, random.Random(1))["order"] == ["viz_mrz_sex", "expired", "no_defect"]


def test_parse():
    q = question(defects=["expired"], options=["expired", "viz_mrz_sex", "no_defect"])
    assert INSPECTION.parse(q, {}) == {} and INSPECTION.parse(q, {"answer": [""]}) == {}
    assert INSPECTION.parse(q, {"answer": ["viz_mrz_sex", "expired"]}) == {"choices": ["viz_mrz_sex", "expired"]}
    for bad in (["smudge"], ["expired", "expired"], ["wrong_check_digit"], ["no_defect", "expired"]):
        with pytest.raises(AnswerError):
            INSPECTION.parse(q, {"answer": bad})


@pytest.mark.parametrize("picked, score", [
    (["expired", "viz_mrz_sex"], 1.0),
    (["expired"], 0.5),
    (["expired", "wrong_check_digit"], 0.5 - 1 / 11),
    (["expired", "viz_mrz_sex", "photo_substitution"], 1 - 1 / 11),
    (["wrong_check_digit", "photo_substitution"], 0.0),  # never below zero
    (list(DEFECT_IDS), 1 - 10 / 11),  # marking every defect earns next to nothing
    (["no_defect"], 0.0),
    ([], 0.0),
])
def test_partial_credit(picked, score):
    q = question(defects=["viz_mrz_sex", "expired"])
    assert grade(q, *picked).score == pytest.approx(score)


def test_no_defect_and_option_subsets():
    clean = question(defects=[])
    assert grade(clean, "no_defect").correct
    assert grade(clean, "expired").score == 0 and grade(clean).score == 0
    subset = question(defects=["expired"], options=["expired", "wrong_check_digit", "no_defect"])
    assert grade(subset, "expired", "wrong_check_digit").score == pytest.approx(0.5)
    assert grade(subset, "expired").correct


def test_feedback_explains_each_defect_present():
    q = question(defects=["viz_mrz_sex", "expired"])
    feedback = grade(q, "expired", "photo_substitution").feedback
    doc = q.document()
    assert feedback[0].startswith("Sex differs between the visual zone and the MRZ.")
    assert f"the MRZ gives {doc.sex}" in feedback[0]
    assert feedback[1].startswith("Expired on the inspection date.") and doc.inspection_date.strftime("%Y") in \
        feedback[1]
    assert feedback[2] == "Signs of photo substitution: not on this document."
    assert grade(question(defects=[]), "no_defect").feedback[0].startswith("This document has no defect")


def test_explain_and_describe():
    q = question(defects=["wrong_check_digit", "issuing_state_mismatch"])
    explanation = INSPECTION.explain(q)
    assert explanation.correct_answer == ("Wrong check digit in the MRZ",
                                          "Issuing-state code in the MRZ does not match the data page")
    assert "7, 3, 1" in explanation.explanation and "positions 3-5" in explanation.explanation
    assert set(explanation.option_feedback) == set(DEFECT_IDS)
    assert INSPECTION.explain(question(defects=[])).correct_answer == ("No defect",)
    assert INSPECTION.explain(question(explanation="See lesson 4.")).explanation == "See lesson 4."
    answer = INSPECTION.parse(q, {"answer": ["issuing_state_mismatch", "expired"]})
    assert INSPECTION.describe(q, answer) == ("Expired on the inspection date",
                                              "Issuing-state code in the MRZ does not match the data page")
    assert INSPECTION.describe(q, None) == ()


def test_practice_makes_new_documents_without_limit():
    rng = random.Random(2024)
    drawn = [next(stream) for stream in [practice(rng)] for _ in range(40)]
    assert len({q.seed for q in drawn}) == 40 and len({q.document().mrz for q in drawn}) == 40
    for q in drawn:
        assert QUESTION_ADAPTER.validate_python(q.model_dump(mode="json")) == q
        assert INSPECTION.grade(q, {"choices": list(q.key())}).correct
    assert {bool(q.document().defects) for q in drawn} == {True, False}


def test_template_renders_the_document_and_the_options(app):
    q = question(defects=["expired"])
    view = INSPECTION.prepare(q, random.Random(3))
    with app.test_request_context("/"):
        html = render_template(INSPECTION.template, question=q, view=view, answer={"choices": ["expired"]})
    assert view["svg"] in html and "<figure" in html and "<figcaption>" in html
    assert html.count('type="checkbox" name="answer"') == len(OPTION_IDS)
    assert html.count(" checked") == 1 and 'value="expired" checked' in html
    assert "Mark every defect you find" in html and "No defect" in html
    for line in q.document().mrz:  # in the drawing and in the text beside it, escaped
        assert html.count(str(escape(line))) == 2
    with app.test_request_context("/"):
        blank = render_template(INSPECTION.template, question=q, view=view, answer=None)
    assert " checked" not in blank

"""The certificate PDF, read back the way a person and a verifier would: its text, its QR code, its attachment.

Needs poppler-utils (pdftotext, pdftoppm, pdffonts) and zbar-tools (zbarimg), installed by .ci/system-deps."""
from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from tests.certificates.samples import (
    BASE,
    LABELS_EN,
    LABELS_MN,
    RECIPIENT,
    SERIAL,
    TITLE_EN,
    TITLE_MN,
    make_data,
    verify_url,
)
from trainer.certificates import pdf
from trainer.certificates.serial import display
from trainer.certificates.verify import Verdict, judge

TODAY = date(2026, 1, 15)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed (apt-get install poppler-utils zbar-tools, see .ci/system-deps)"
    return path


def text_of(pdf_bytes: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf_bytes)
    result = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(source), "-"], capture_output=True,
                            check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def qr_of(pdf_bytes: bytes, tmp_path: Path) -> str:
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run([tool("pdftoppm"), "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True)
    # zbarimg may complain on stderr about D-Bus in a container; only stdout carries the decoded data.
    result = subprocess.run([tool("zbarimg"), "--raw", "-q", str(tmp_path / "page.png")], capture_output=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def bundle(keyring):
    return BASE.signed_bundle(keyring)


@pytest.fixture(scope="module")
def certificate(bundle) -> bytes:
    return pdf.render(BASE, bundle, verify_url(SERIAL), LABELS_MN, LABELS_EN)


def test_it_is_a_small_pdf(certificate):
    assert certificate.startswith(b"%PDF-")
    assert len(certificate) < 40_000  # fonts are subset to the glyphs used
    page = PdfReader(io.BytesIO(certificate)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)  # A4 landscape


def test_text_in_mongolian_and_english(certificate, tmp_path):
    text = text_of(certificate, tmp_path)
    for expected in (RECIPIENT, TITLE_MN, TITLE_EN, "Хил хамгаалах ерөнхий газар", "General Authority for Border",
                     "Гэрчилгээ", "Certificate of completion", "Сургалтын цаг / Hours of study", "12.5",
                     "2025-05-01", "2028-05-02", "Замын-Үүд 2025-1", "Дорж Болд", display(SERIAL),
                     verify_url(SERIAL)):
        assert expected in text, expected


def test_the_qr_code_decodes_to_exactly_the_verify_url(certificate, tmp_path):
    assert qr_of(certificate, tmp_path) == verify_url(SERIAL) + "\n"


def test_fonts_are_the_shipped_ones_embedded(certificate, tmp_path):
    source = tmp_path / "fonts.pdf"
    source.write_bytes(certificate)
    listing = subprocess.run([tool("pdffonts"), str(source)], capture_output=True, check=True, text=True).stdout
    fonts = listing.splitlines()[2:]
    assert len(fonts) == 2 and all("NotoSans" in line and " yes yes yes " in line for line in fonts), listing
    assert all(path.is_file() for path in pdf.FONT_FILES.values())
    assert (pdf.FONT_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


def test_the_signed_bundle_is_attached(certificate, bundle, keyring):
    extracted = pdf.extract_bundle(certificate)
    assert extracted == json.loads(json.dumps(bundle))
    assert judge(extracted, keyring, {}, TODAY).valid


def test_rendering_is_repeatable(certificate, bundle):
    assert pdf.render(BASE, bundle, verify_url(SERIAL), LABELS_MN, LABELS_EN) == certificate


def _replace_attachment(pdf_bytes: bytes, content: bytes) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    names[1].get_object()["/EF"]["/F"].get_object().set_data(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_edited_attachment_is_a_bad_signature(certificate, bundle, keyring):
    forged = copy.deepcopy(bundle)
    forged["payload"]["expires_on"] = "2099-12-31"
    edited = _replace_attachment(certificate, json.dumps(forged).encode())
    extracted = pdf.extract_bundle(edited)
    assert extracted == forged
    assert judge(extracted, keyring, {}, TODAY).verdict is Verdict.BAD_SIGNATURE


def test_a_forged_pdf_with_a_copied_signature_is_a_bad_signature(bundle, keyring):
    impostor = make_data(recipient_name="Someone Else")
    forged = {**bundle, "payload": impostor.payload()}
    forged_pdf = pdf.render(impostor, forged, verify_url(SERIAL), LABELS_MN, LABELS_EN)
    assert judge(pdf.extract_bundle(forged_pdf), keyring, {}, TODAY).verdict is Verdict.BAD_SIGNATURE


def test_revoked_after_extraction(certificate, keyring):
    result = judge(pdf.extract_bundle(certificate), keyring, {SERIAL: date(2025, 12, 1)}, TODAY)
    assert result.verdict is Verdict.REVOKED and result.revoked_on == date(2025, 12, 1)


def test_no_bundle_in_other_files(certificate):
    plain = FPDF()
    plain.add_page()
    assert pdf.extract_bundle(bytes(plain.output())) is None
    assert pdf.extract_bundle(b"") is None
    assert pdf.extract_bundle(b"%PDF-1.7\n garbage") is None
    assert pdf.extract_bundle(certificate[: len(certificate) // 2]) is None
    assert pdf.extract_bundle(_replace_attachment(certificate, b"not json")) is None
    assert pdf.extract_bundle(_replace_attachment(certificate, b"[1, 2]")) is None


def test_two_attachments_of_the_same_name_are_refused(certificate):
    writer = PdfWriter(clone_from=io.BytesIO(certificate))
    writer.add_attachment(pdf.ATTACHMENT, b"{}")
    out = io.BytesIO()
    writer.write(out)
    assert pdf.extract_bundle(out.getvalue()) is None


def test_english_certificate_has_no_second_language(keyring, tmp_path):
    data = make_data(language="en", expires_on=None, cohort_name="", trainer_name="")
    text = text_of(pdf.render(data, data.signed_bundle(keyring), verify_url(SERIAL), LABELS_EN, LABELS_EN),
                   tmp_path)
    assert RECIPIENT in text and TITLE_EN in text and TITLE_MN not in text
    assert " / " not in text.replace(verify_url(SERIAL), "")
    assert "Valid until" not in text and "Cohort" not in text and "Trainer" not in text


def test_russian_certificate_with_caller_formatted_dates(keyring, tmp_path):
    data = make_data(language="ru")
    labels_ru = {**LABELS_EN, "title": "Сертификат", "hours": "Часы обучения", "decimal_separator": ","}
    months = {"ru": "мая", "en": "May"}
    rendered = pdf.render(data, data.signed_bundle(keyring), verify_url(SERIAL), labels_ru, LABELS_EN,
                          format_date=lambda day, lang: f"{day.day} {months[lang]} {day.year}")
    text = text_of(rendered, tmp_path)
    assert "Выявление поддельных проездных документов" in text and TITLE_EN in text
    assert "Часы обучения / Hours of study 12,5" in text
    assert "1 мая 2025 / 1 May 2025" in text


def test_long_names_and_titles_still_fit(keyring, tmp_path):
    data = make_data(recipient_name="Хишигдэлгэрийн Өлзийбаярмагнайсүрэнцэцэгдэлгэрмаа " * 3,
                     course_title={"en": "A very long course title " * 8, "mn": "Маш урт гарчиг " * 10})
    rendered = pdf.render(data, data.signed_bundle(keyring), verify_url(SERIAL), LABELS_MN, LABELS_EN)
    assert "Өлзийбаярмагнайсүрэнцэцэгдэлгэрмаа" in text_of(rendered, tmp_path)
    assert qr_of(rendered, tmp_path) == verify_url(SERIAL) + "\n"


def test_labels_must_be_complete(bundle):
    partial = {key: value for key, value in LABELS_MN.items() if key != "verify_at"}
    with pytest.raises(ValueError, match="verify_at"):
        pdf.render(BASE, bundle, verify_url(SERIAL), partial, LABELS_EN)
    with pytest.raises(ValueError, match="title"):
        pdf.render(BASE, bundle, verify_url(SERIAL), LABELS_MN, {**LABELS_EN, "title": ""})


def test_the_bundle_must_match_the_data(bundle):
    with pytest.raises(ValueError, match="bundle"):
        pdf.render(make_data(minutes=1), bundle, verify_url(SERIAL), LABELS_MN, LABELS_EN)

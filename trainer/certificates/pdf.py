"""The certificate as a PDF: A4 landscape, the trainee's language with English alongside, a QR code to the
verification page, and the signed bundle attached as ``certificate.json`` so it can be checked offline.

This module calls no gettext: the caller passes the translated labels, one dict for the trainee's language and
one for English (``labels_local`` and ``labels_en``), each with every key in ``LABEL_KEYS``:

    title           "Certificate of completion" (pass the trainer-certificate title for kind "tot")
    awarded_to      "This certificate is awarded to"
    for_completing  "for completing the course"
    hours           "Hours of study"
    completed_on    "Completed on"
    issued_on       "Issued on"
    valid_until     "Valid until"          (printed only when the certificate expires)
    cohort          "Cohort"               (printed only when the cohort name is not empty)
    trainer         "Trainer"              (printed only when the trainer name is not empty)
    serial          "Serial number"
    verify_at       "Verify this certificate at"

Optional key: ``decimal_separator`` (default "."), used for fractional hours. Dates are printed in ISO form
unless the caller passes ``format_date(date, lang) -> str``. Text is set in Noto Sans, shipped in ``fonts/``
(SIL OFL 1.1), which covers Latin and Cyrillic including Mongolian Ө and Ү; fpdf2 embeds only the glyphs used.
"""
from __future__ import annotations

import io
import json
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pypdf import PdfReader

from trainer.certificates.data import CertificateData, hours_text
from trainer.certificates.serial import display

LABEL_KEYS = (
    "title", "awarded_to", "for_completing", "hours", "completed_on", "issued_on", "valid_until", "cohort",
    "trainer", "serial", "verify_at",
)
ATTACHMENT = "certificate.json"
FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "NotoSans"
FONT_FILES = {"": FONT_DIR / "NotoSans-Regular.ttf", "B": FONT_DIR / "NotoSans-Bold.ttf"}

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 22.0
QR_SIZE = 46.0  # mm: modules of about 1.5 mm for a typical URL, easy for a phone camera on a printed page
INK = (22, 43, 77)  # dark navy: reads as official, prints well in greyscale
MUTED = (90, 98, 112)

DateFormatter = Callable[[date, str], str]


def _iso(day: date, _lang: str) -> str:
    return day.isoformat()


class _Certificate(FPDF):
    """An FPDF with the shipped fonts registered. fpdf2 cannot share a parsed font between documents (it subsets
    the font object in place at output), so speed comes from small font files (see fonts/README.md) and from
    not recomputing glyph bounding boxes when the subset is saved."""

    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        for style, path in FONT_FILES.items():
            self.add_font(FAMILY, style, path)
        for font in self.fonts.values():
            # The glyphs are copied unchanged, so their stored boxes are right; recomputing them would unpack and
            # re-encode every glyph in fontTools, a third of the render time.
            font.ttfont.recalcBBoxes = False


def render(data: CertificateData, bundle: Mapping[str, Any], verify_url: str, labels_local: Mapping[str, str],
           labels_en: Mapping[str, str], *, format_date: DateFormatter = _iso) -> bytes:
    """The certificate PDF as bytes. ``bundle`` is ``data.signed_bundle(keyring)``, attached as-is."""
    for name, labels in (("labels_local", labels_local), ("labels_en", labels_en)):
        missing = [key for key in LABEL_KEYS if not labels.get(key)]
        if missing:
            raise ValueError(f"{name} lacks {', '.join(missing)}")
    if bundle.get("payload") != data.payload():
        raise ValueError("the bundle does not carry this certificate's data")

    pdf = _Certificate()
    lang = data.language
    created = datetime.combine(data.issued_on, datetime.min.time(), tzinfo=timezone.utc)
    pdf.set_title(f"{labels_en['title']}: {data.recipient_name}")
    pdf.set_author(data.issuer_name)
    pdf.set_subject(data.title("en"))
    pdf.set_lang(lang)
    pdf.set_creator("trainer")
    # Dated from the data, not the clock: the same certificate renders to the same bytes.
    pdf.set_creation_date(created)
    pdf.add_page()

    _frame(pdf)
    local = _Labels(lang, labels_local, labels_en)
    _heading(pdf, data, local)
    _details(pdf, data, local, format_date)
    _footer(pdf, data, local, verify_url)
    _qr(pdf, verify_url, PAGE_W - MARGIN - QR_SIZE, PAGE_H - MARGIN - QR_SIZE - 4)

    attachment = json.dumps(dict(bundle), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    pdf.embed_file(bytes=attachment, basename=ATTACHMENT, mime_type="application/json", modification_date=created,
                   desc="Signed certificate data (Ed25519, RFC 8785 canonical JSON)", compress=True)
    return bytes(pdf.output())


class _Labels:
    """Bilingual labels: "local / English", or English alone when the trainee's language is English."""

    def __init__(self, lang: str, local: Mapping[str, str], en: Mapping[str, str]) -> None:
        self.lang, self.local, self.en = lang, local, en
        self.decimal_separator = local.get("decimal_separator", ".")

    @property
    def bilingual(self) -> bool:
        return self.lang != "en"

    def __getitem__(self, key: str) -> str:
        if not self.bilingual or self.local[key] == self.en[key]:
            return self.en[key]
        return f"{self.local[key]} / {self.en[key]}"


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*INK)
    pdf.set_line_width(1.2)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_line_width(0.3)
    pdf.rect(12, 12, PAGE_W - 24, PAGE_H - 24)


def _line(pdf: FPDF, text: str, style: str, size: float, *, muted: bool = False, min_size: float = 8,
          height: float | None = None) -> None:
    """A centred line, shrunk to fit the width and wrapped only when even the smallest size is too wide."""
    width = PAGE_W - 2 * MARGIN
    text = unicodedata.normalize("NFC", text)  # decomposed input would print loose accents: no shaping here
    pdf.set_font(FAMILY, style, size)
    while size > min_size and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*(MUTED if muted else INK))
    pdf.set_x(MARGIN)
    if pdf.get_string_width(text) <= width:  # cell is much cheaper than multi_cell's line breaking
        pdf.cell(width, height or size * 0.45, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(width, size * 0.45, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pair(pdf: FPDF, labels: _Labels, local: str, english: str, style: str, size: float, en_size: float,
          min_size: float = 8) -> None:
    """A text in the trainee's language with its English below, or the English alone."""
    _line(pdf, local if labels.bilingual else english, style, size, min_size=min_size)
    if labels.bilingual and local != english:
        _line(pdf, english, "", en_size, muted=True, min_size=min_size)


def _heading(pdf: FPDF, data: CertificateData, labels: _Labels) -> None:
    pdf.set_y(20)
    _pair(pdf, labels, data.agency(data.language), data.agency("en"), "B", 13, 9.5)
    pdf.ln(4)
    _pair(pdf, labels, labels.local["title"], labels.en["title"], "B", 26, 13, min_size=14)
    pdf.ln(5)
    _line(pdf, labels["awarded_to"], "", 10.5, muted=True)
    pdf.ln(1.5)
    _line(pdf, data.recipient_name, "B", 28, min_size=14, height=13)
    pdf.ln(3)
    _line(pdf, labels["for_completing"], "", 10.5, muted=True)
    pdf.ln(1.5)
    _pair(pdf, labels, data.title(data.language), data.title("en"), "B", 17, 12, min_size=10)


def _details(pdf: FPDF, data: CertificateData, labels: _Labels, format_date: DateFormatter) -> None:
    rows = [("hours", hours_text(data.minutes, labels.decimal_separator))]
    rows.append(("completed_on", _dates(data.completed_on, data.language, format_date)))
    rows.append(("issued_on", _dates(data.issued_on, data.language, format_date)))
    if data.expires_on is not None:
        rows.append(("valid_until", _dates(data.expires_on, data.language, format_date)))
    if data.cohort_name:
        rows.append(("cohort", data.cohort_name))
    if data.trainer_name:
        rows.append(("trainer", data.trainer_name))
    label_w, value_w = 82.0, PAGE_W - 2 * MARGIN - QR_SIZE - 92.0
    # Below the heading, but never into the footer, even when very long names and titles wrap.
    y = min(max(pdf.get_y() + 6, 118.0), PAGE_H - MARGIN - 16 - 6.2 * len(rows))
    for key, value in rows:
        pdf.set_xy(MARGIN + 8, y)
        pdf.set_font(FAMILY, "", 9.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(label_w, 6.2, labels[key])
        pdf.set_font(FAMILY, "B", 10.5)
        pdf.set_text_color(*INK)
        while pdf.get_string_width(value) > value_w and pdf.font_size_pt > 7:
            pdf.set_font_size(pdf.font_size_pt - 0.5)
        pdf.cell(value_w, 6.2, value)
        y += 6.2


def _dates(day: date, lang: str, format_date: DateFormatter) -> str:
    local, english = format_date(day, lang), format_date(day, "en")
    return local if local == english else f"{local} / {english}"


def _footer(pdf: FPDF, data: CertificateData, labels: _Labels, verify_url: str) -> None:
    width = PAGE_W - 2 * MARGIN - QR_SIZE - 8
    pdf.set_xy(MARGIN + 8, PAGE_H - MARGIN - 13)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(82, 6, labels["serial"])
    pdf.set_font(FAMILY, "B", 13)
    pdf.set_text_color(*INK)
    pdf.cell(width - 90, 6, display(data.serial))
    pdf.set_xy(MARGIN + 8, PAGE_H - MARGIN - 6)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*MUTED)
    text = f"{labels['verify_at']}: {verify_url}"
    while pdf.get_string_width(text) > width - 8 and pdf.font_size_pt > 6:
        pdf.set_font_size(pdf.font_size_pt - 0.5)
    pdf.cell(width - 8, 6, text, link=verify_url)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The QR code as vector squares (sharp at any print size), one rectangle per run of dark modules.

    Error correction M survives smudges and folds; the white page around gives the four-module quiet zone."""
    matrix = segno.make_qr(url, error="m", boost_error=False).matrix
    module = QR_SIZE / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        top = y + row_index * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            # A hair of overlap so anti-aliased renderers show no white seams between adjacent modules.
            pdf.rect(x + start * module, top, (column - start) * module + 0.02, module + 0.02, style="F")
    pdf.link(x, y, QR_SIZE, QR_SIZE, url)


def extract_bundle(pdf_bytes: bytes) -> dict[str, Any] | None:
    """The signed bundle attached to a certificate PDF, or None when there is not exactly one readable
    ``certificate.json`` (or the bytes are not a PDF). The bundle is not verified here: pass it to ``judge``."""
    try:
        with warnings.catch_warnings():
            # A hostile or broken file may make pypdf warn; that is an answer of None, not a test failure.
            warnings.simplefilter("ignore")
            contents = PdfReader(io.BytesIO(pdf_bytes)).attachments.get(ATTACHMENT)
        # Two attachments of the same name could show one thing to a viewer and another to us: refuse both.
        if not contents or len(contents) != 1:
            return None
        bundle = json.loads(contents[0].decode("utf-8"))
    except Exception:  # pypdf raises many types on garbage; any of them means "no bundle"
        return None
    return bundle if isinstance(bundle, dict) else None

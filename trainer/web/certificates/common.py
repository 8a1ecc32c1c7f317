"""The issuer of this app (keys, names, addresses), the PDF and credential of a certificate, and the hook that
issues certificates when enrolments complete."""
from __future__ import annotations

from pathlib import Path

from babel.dates import format_date
from flask import Blueprint, current_app, has_app_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from trainer.certificates import openbadges, pdf
from trainer.certificates.data import CertificateData
from trainer.certificates.signing import Keyring
from trainer.models import Certificate, Enrolment
from trainer.services import certificates, completion

bp = Blueprint("certificates", __name__)


def keyring() -> Keyring:
    """Loaded once per process: from configuration in production, else from the key folder (made on first use)."""
    app = current_app
    if "certificate_keyring" not in app.extensions:
        if app.config["CERTIFICATE_SIGNING_KEY"]:
            ring = Keyring.from_config(app.config["CERTIFICATE_SIGNING_KEY"], app.config["CERTIFICATE_PUBLIC_KEYS"])
        else:
            folder = app.config["CERTIFICATE_KEY_FOLDER"] or str(Path(app.instance_path) / "certificate-keys")
            ring = Keyring.from_folder(folder, create=True)
        app.extensions["certificate_keyring"] = ring
    return app.extensions["certificate_keyring"]


def issuer() -> certificates.Issuer:
    app = current_app._get_current_object()
    return certificates.Issuer(keyring=keyring, name=app.config["CERTIFICATE_ISSUER_NAME"],
                               base_url=app.config["PUBLIC_BASE_URL"].rstrip("/"),
                               content=app.extensions["content"].get, languages=tuple(app.config["LANGUAGES"]))


def _issue_on_completion(session: Session, enrolments: list[Enrolment]) -> None:
    if has_app_context():
        certificates.issue_automatic(session, issuer(), enrolments)


completion.on_completion(_issue_on_completion)


def verify_url(serial: str) -> str:
    """The address in the QR code: the public server's, wherever the PDF is made."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("verify.check", serial=serial)


def _labels(kind: str) -> dict[str, str]:
    return {
        "title": _("Trainer certificate") if kind == "tot" else _("Certificate of completion"),
        "awarded_to": _("This certifies that"), "for_completing": _("has completed"), "hours": _("Hours of study"),
        "completed_on": _("Completed on"), "issued_on": _("Issued on"), "valid_until": _("Valid until"),
        "cohort": _("Cohort"), "trainer": _("Trainer"), "serial": _("Serial"),
        "verify_at": _("Check this certificate at"), "decimal_separator": _("."),
    }


def render_pdf(certificate: Certificate) -> bytes:
    data = CertificateData.from_payload(certificate.payload)
    with force_locale(data.language):
        local = _labels(data.kind)
    with force_locale("en"):
        english = _labels(data.kind)
    return pdf.render(data, certificate.bundle, verify_url(certificate.serial), local, english,
                      format_date=_date)


def _date(day, language: str) -> str:
    return format_date(day, "long", locale=language)


def credential(certificate: Certificate) -> dict:
    data = CertificateData.from_payload(certificate.payload)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return openbadges.credential(data, keyring(), base + url_for("verify.issuer_profile"),
                                 f"{base}{url_for('verify.check', serial=certificate.serial)}#achievement",
                                 verify_url(certificate.serial), created=None)

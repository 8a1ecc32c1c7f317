"""Certificates as people meet them: issued on completion, downloaded, scanned, verified, revoked."""
from __future__ import annotations

import io
import json
import subprocess
import zipfile
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.helpers import post_form, sign_in, text_of
from trainer.certificates import pdf
from trainer.certificates import serial as serials
from trainer.certificates.data import CertificateData
from trainer.certificates.openbadges import verify_credential
from trainer.certificates.pdf import extract_bundle
from trainer.extensions import db
from trainer.models import Certificate, CertificateMode, CohortKind, Enrolment, ModuleCompletion, Role, User
from trainer.models.base import utcnow
from trainer.services import certificates, cohorts, completion, enrolment
from trainer.services import users as user_service
from trainer.web.certificates.common import issuer, keyring

TODAY = utcnow().date()


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def complete(user_id: int, module_id: str = "basics") -> None:
    db.session.add(ModuleCompletion(user_id=user_id, module_id=module_id, module_version=1, completed_at=utcnow()))
    db.session.flush()


@pytest.fixture
def cohort(app):
    trainer = user("trainer")
    made = cohorts.create_cohort(db.session, trainer, cohorts.CohortData(
        kind=CohortKind.COURSE, name="Zamiin-Uud course", agency_id=trainer.agency_id))
    made.validity_months = 24
    cohorts.assign_module(db.session, trainer, made.id, "basics", None, {"basics"})
    enrolment.add_by_username(db.session, trainer, made.id, "trainee")
    trainee = user("trainee")
    trainee.full_name, trainee.preferred_language = "Батбаярын Энхтуяа", "mn"
    db.session.flush()
    return made


def finish(app, cohort) -> Certificate:
    """The trainee completes the cohort; the completion service issues the certificate."""
    with app.test_request_context():
        complete(user("trainee").id)
        completion.refresh(db.session, cohort, TODAY)
    return db.session.scalar(select(Certificate).where(Certificate.cohort_id == cohort.id))


def test_completing_an_automatic_cohort_issues_one_certificate(app, cohort):
    certificate = finish(app, cohort)
    assert certificate is not None and certificate.kind == "course" and certificate.language == "mn"
    assert serials.normalise(certificate.serial) == certificate.serial
    assert certificate.expires_on is not None and certificate.expires_on.year == TODAY.year + 2
    with app.test_request_context():  # issuing again returns the same certificate
        enrolled = db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id))
        assert certificates.issue(db.session, issuer(), enrolled) is certificate
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_an_approval_cohort_waits_for_the_trainer(app, cohort, client):
    cohort.certificate_mode = CertificateMode.APPROVAL
    db.session.flush()
    assert finish(app, cohort) is None
    sign_in(client, "trainer")
    trainee = user("trainee")
    page = text_of(client.get(f"/cohorts/{cohort.id}/trainees/{trainee.id}"))
    assert "Approve and issue the certificate" in page
    response = post_form(client, f"/certificates/cohort/{cohort.id}/approve/{trainee.id}", {},
                         token_from=f"/cohorts/{cohort.id}/trainees/{trainee.id}")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_the_pdf_qr_code_opens_the_verification_page_which_says_valid_then_revoked(app, cohort, client, runner,
                                                                                    tmp_path):
    certificate = finish(app, cohort)
    sign_in(client, "trainee")
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.mimetype == "application/pdf"
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(response.get_data())
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Батбаярын Энхтуяа" in text and "Certificate of completion" in text
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")],
                   check=True)
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True,
                             check=True).stdout.strip()
    assert scanned.endswith(f"/verify/{certificate.serial}")
    client.post("/auth/logout", data={"csrf_token": ""})
    anonymous = app.test_client()
    page = text_of(anonymous.get(urlsplit(scanned).path))
    assert "Valid" in page and "Батбаярын Энхтуяа" in page and "Zamiin-Uud course" in page
    assert "Bat-Erdene" not in page and "username" not in page.lower()  # nothing beyond the public fields
    result = runner.invoke(args=["certificates", "verify", str(pdf_path)])
    assert result.exit_code == 0 and "VALID" in result.output
    # A coordinator revokes it: the page and the offline check both say so.
    sign_in(client, "coordinator")
    response = post_form(client, f"/certificates/{certificate.id}/revoke", {"reason": "Issued to the wrong person"},
                         token_from="/certificates/registry")
    assert response.status_code == 302
    page = text_of(anonymous.get(urlsplit(scanned).path))
    assert "Revoked on" in page
    result = runner.invoke(args=["certificates", "verify", str(pdf_path)])
    assert result.exit_code == 1 and "REVOKED" in result.output
    db.session.expire_all()  # the revocation was written by the request's own session
    result = runner.invoke(args=["certificates", "verify", certificate.serial])
    assert result.exit_code == 1 and "REVOKED" in result.output


def test_a_tampered_pdf_payload_is_refused_offline(app, cohort, runner, tmp_path):
    certificate = finish(app, cohort)
    with app.test_request_context():
        data = CertificateData.from_payload(certificate.payload)
        inflated = replace(data, minutes=data.minutes + 600)  # more hours than were studied
        bundle = {**certificate.bundle, "payload": inflated.payload()}  # the original signature kept
        labels = dict.fromkeys(pdf.LABEL_KEYS, "x")
        forged = pdf.render(inflated, bundle, "https://example.org/verify/x", labels, labels)
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    result = runner.invoke(args=["certificates", "verify", str(path)])
    assert result.exit_code == 1 and "BAD SIGNATURE" in result.output
    path.write_bytes(b"%PDF-1.4 not a certificate")
    result = runner.invoke(args=["certificates", "verify", str(path)])
    assert result.exit_code == 1 and "MALFORMED" in result.output


def test_the_verification_page_for_unknown_and_mistyped_serials(app, cohort, client):
    certificate = finish(app, cohort)
    page = text_of(client.get("/verify/?serial=" + serials.display(certificate.serial).lower()))
    assert "Valid" in page  # hyphens and case do not matter
    typo = certificate.serial[:-2] + ("0" if certificate.serial[-2] != "0" else "1") + certificate.serial[-1]
    page = text_of(client.get(f"/verify/{typo}"))
    assert "Unknown" in page and "Батбаярын" not in page
    assert client.get("/verify/" + "X" * 300).status_code in (200, 404)


def test_the_verification_page_is_rate_limited(app, client):
    statuses = [client.get(f"/verify/GUESS{i}").status_code for i in range(35)]
    assert 429 in statuses


def test_an_expired_certificate_is_reported_expired(app, cohort, client):
    certificate = finish(app, cohort)
    with app.test_request_context():
        data = CertificateData.from_payload(certificate.payload)
        old = certificates.build_data(cohort, user("trainee"), data.completed_on - timedelta(days=900),
                                      data.issued_on - timedelta(days=900), certificate.serial, issuer())
        certificate.payload = old.payload()
        certificate.kid, certificate.signature = keyring().sign(certificate.payload)
        db.session.flush()
    assert "Expired on" in text_of(client.get(f"/verify/{certificate.serial}"))


def test_open_badges_credential_downloads_and_verifies(app, cohort, client):
    certificate = finish(app, cohort)
    sign_in(client, "trainee")
    response = client.get(f"/certificates/{certificate.id}.json")
    document = json.loads(response.get_data())
    assert "OpenBadgeCredential" in document["type"] and document["credentialSubject"]["achievement"]["name"]
    with app.test_request_context():
        assert verify_credential(document, keyring())
        document["credentialSubject"]["name"] = "Someone else"
        assert not verify_credential(document, keyring())


def test_another_trainee_cannot_download_it_and_the_trainer_gets_a_zip(app, cohort, client):
    certificate = finish(app, cohort)
    data = user_service.UserData(username="nosy", full_name="Nosy", roles={Role.TRAINEE})
    user_service.create_user(db.session, None, data, password="a long enough password")
    sign_in(client, "nosy")
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404
    sign_in(client, "trainer")
    response = client.get(f"/certificates/cohort/{cohort.id}.zip")
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        assert len(names) == 1 and names[0].endswith(f"{certificate.serial}.pdf")
        assert extract_bundle(archive.read(names[0]))["payload"]["serial"] == certificate.serial


def test_registry_search_and_revocation_need_a_reason(app, cohort, client):
    certificate = finish(app, cohort)
    sign_in(client, "coordinator")
    page = text_of(client.get("/certificates/registry?q=" + certificate.serial))
    assert "Батбаярын Энхтуяа" in page and "1 certificate found" in page
    page = text_of(post_form(client, f"/certificates/{certificate.id}/revoke", {"reason": "  "},
                             token_from="/certificates/registry", follow_redirects=True))
    assert "Give the reason for revoking." in page
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_published_keys_and_revocations(app, cohort, client):
    finish(app, cohort)
    keys = json.loads(client.get("/verify/keys.json").get_data())
    assert keys["keys"][0]["crv"] == "Ed25519"
    revocations = json.loads(client.get("/verify/revocations.json").get_data())
    assert "revoked" in json.dumps(revocations)

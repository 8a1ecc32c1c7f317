"""Downloading certificates (PDF, Open Badges JSON), a cohort's certificates as one ZIP, trainer approval, and
the coordinators' registry with revocation and the list of certificates about to expire."""
from __future__ import annotations

import io
import json
import zipfile

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Role
from trainer.models.base import utcnow
from trainer.services import certificates, cohorts
from trainer.web.access import coordinator_required, login_required, roles_required
from trainer.web.certificates.common import bp, credential, issuer, render_pdf
from trainer.web.cohorts.forms import ConfirmForm
from trainer.web.helpers import show_error

PER_PAGE = 50
STATUSES = ("valid", "expired", "revoked")


def _download(data: bytes, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/")
@login_required
def mine():
    return render_template("certificates/mine.html", certificates=certificates.of_user(db.session, current_user.id),
                           today=utcnow().date())


@bp.route("/<int:certificate_id>.pdf")
@login_required
def pdf(certificate_id: int):
    certificate = certificates.get_certificate(db.session, current_user, certificate_id)
    return _download(render_pdf(certificate), "application/pdf", f"certificate-{certificate.serial}.pdf")


@bp.route("/<int:certificate_id>.json")
@login_required
def open_badge(certificate_id: int):
    certificate = certificates.get_certificate(db.session, current_user, certificate_id)
    data = json.dumps(credential(certificate), ensure_ascii=False, indent=2).encode("utf-8")
    return _download(data, "application/vc+ld+json", f"certificate-{certificate.serial}.json")


@bp.route("/cohort/<int:cohort_id>.zip")
@roles_required(Role.TRAINER, Role.COORDINATOR, Role.ADMIN)
def cohort_zip(cohort_id: int):
    cohort, issued = certificates.of_cohort(db.session, current_user, cohort_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for certificate in issued:
            archive.writestr(f"{certificate.recipient_name} {certificate.serial}.pdf", render_pdf(certificate))
    return _download(buffer.getvalue(), "application/zip", f"cohort-{cohort.id}-certificates.zip")


@bp.route("/cohort/<int:cohort_id>/approve/<int:user_id>", methods=["POST"])
@roles_required(Role.TRAINER)
def approve(cohort_id: int, user_id: int):
    cohorts.get_cohort(db.session, current_user, cohort_id, write=True)
    if ConfirmForm().validate_on_submit():
        try:
            certificate = certificates.approve(db.session, issuer(), current_user, cohort_id, user_id)
            flash(_("Certificate %(serial)s issued.", serial=certificate.serial), "success")
        except DomainError as error:
            show_error(error)
    return redirect(url_for("cohorts.trainee", cohort_id=cohort_id, user_id=user_id))


@bp.route("/registry")
@coordinator_required
def registry():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    text = request.args.get("q", "")[:100]
    page = certificates.registry(db.session, text, status, request.args.get("page", 1, type=int), PER_PAGE,
                                 utcnow().date())
    return render_template("certificates/registry.html", page=page, q=text, status=status, statuses=STATUSES,
                           expiring=certificates.expiring(db.session, utcnow().date()), confirm=ConfirmForm(),
                           today=utcnow().date())


@bp.route("/<int:certificate_id>/revoke", methods=["POST"])
@coordinator_required
def revoke(certificate_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            certificate = certificates.revoke(db.session, current_user, certificate_id, request.form.get("reason", ""))
            flash(_("Certificate %(serial)s revoked.", serial=certificate.serial), "success")
        except DomainError as error:
            show_error(error)
    return redirect(url_for("certificates.registry", q=request.form.get("q", "")))

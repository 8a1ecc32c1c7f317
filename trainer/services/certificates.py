"""Issuing, finding, verifying and revoking certificates.

A certificate is issued once per completed enrolment (automatically, or when a trainer approves, per the cohort's
mode). The unique enrolment key makes issuing idempotent even when two completions race: the loser's insert fails
inside a savepoint and it returns the winner's certificate.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.certificates import serial as serials
from trainer.certificates.data import CertificateData
from trainer.certificates.signing import Keyring
from trainer.certificates.verify import Result, judge
from trainer.content.loader import ContentSet
from trainer.errors import N_, Conflict, InvalidInput, NotFound, PermissionDenied
from trainer.models import (
    Certificate,
    CertificateKind,
    CertificateMode,
    Cohort,
    CohortKind,
    Enrolment,
    Role,
    User,
)
from trainer.models.base import as_utc, utcnow
from trainer.services import audit
from trainer.services.cohorts import get_cohort, sees_all
from trainer.services.tx import Page, paginate, transaction

MAX_REASON = 500


@dataclass(frozen=True)
class Issuer:
    """Who signs, and where verifiers find us. ``keyring`` is called only when a certificate is signed."""

    keyring: Callable[[], Keyring]
    name: str
    base_url: str
    content: Callable[[], ContentSet]
    languages: tuple[str, ...] = ("en", "mn", "ru")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def build_data(cohort: Cohort, user: User, completed_on: date, issued_on: date, serial: str,
               issuer: Issuer) -> CertificateData:
    content = issuer.content()
    modules = tuple((a.module_id, content.modules[a.module_id].version, content.modules[a.module_id].title)
                    for a in cohort.assignments if a.module_id in content.modules)
    minutes = sum(content.modules[m].estimated_minutes for m, _v, _t in modules)
    agency = {"en": cohort.agency.name, **{k: v for k, v in (cohort.agency.local_names or {}).items()
                                          if k in issuer.languages and v}}
    language = user.preferred_language if user.preferred_language in issuer.languages else "en"
    lead = cohort.trainer_links[0].user.full_name if cohort.trainer_links else ""
    return CertificateData(
        serial=serial, kind="tot" if cohort.kind == CohortKind.TOT else "course", recipient_name=user.full_name,
        course_title={"en": cohort.name}, cohort_name=cohort.name, modules=modules, minutes=minutes,
        completed_on=completed_on, issued_on=issued_on,
        expires_on=_add_months(issued_on, cohort.validity_months) if cohort.validity_months else None,
        trainer_name=lead or "-", agency_name=agency, language=language, issuer_name=issuer.name,
        issuer_url=issuer.base_url)


def issue(session: Session, issuer: Issuer, enrolment: Enrolment, today: date | None = None) -> Certificate:
    """Within the caller's transaction: the enrolment's certificate, created now if it has none."""
    existing = session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
    if existing is not None:
        return existing
    if enrolment.completed_at is None:
        raise InvalidInput(N_("This trainee has not completed the cohort yet."))
    cohort, user = enrolment.cohort, enrolment.user
    issued_on = today or utcnow().date()
    completed_on = as_utc(enrolment.completed_at).date()
    keyring = issuer.keyring()
    for _ in range(3):  # a serial collision (2^-50 per pair) is retried, not reported
        serial = serials.new_serial()
        data = build_data(cohort, user, completed_on, issued_on, serial, issuer)
        kid, signature = keyring.sign(data.payload())
        certificate = Certificate(
            serial=serial, kind=CertificateKind(data.kind), enrolment_id=enrolment.id, user_id=user.id,
            cohort_id=cohort.id, recipient_name=user.full_name, language=data.language, completed_on=completed_on,
            issued_on=issued_on, expires_on=data.expires_on, payload=data.payload(), kid=kid, signature=signature)
        try:
            with session.begin_nested():
                session.add(certificate)
                session.flush()
        except IntegrityError:
            winner = session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
            if winner is not None:
                return winner  # a concurrent completion issued it first
            continue
        audit.record(session, None, "certificate.issue", "certificate", certificate.id, {"serial": serial})
        return certificate
    raise Conflict(N_("The certificate could not be issued. Try again."))  # pragma: no cover


def issue_automatic(session: Session, issuer: Issuer, enrolments: list[Enrolment]) -> list[Certificate]:
    """Within the caller's transaction: certificates for newly completed enrolments of automatic cohorts."""
    return [issue(session, issuer, e) for e in enrolments
            if e.cohort.certificate_mode == CertificateMode.AUTOMATIC]


def approve(session: Session, issuer: Issuer, trainer: User, cohort_id: int, user_id: int) -> Certificate:
    cohort = get_cohort(session, trainer, cohort_id, write=True)
    enrolment = session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                       Enrolment.user_id == user_id))
    if enrolment is None:
        raise NotFound(N_("That person is not in this cohort."))
    with transaction(session):
        certificate = issue(session, issuer, enrolment)
        enrolment.approved_at, enrolment.approved_by_id = enrolment.approved_at or utcnow(), trainer.id
        audit.record(session, trainer.id, "certificate.approve", "certificate", certificate.id,
                     {"serial": certificate.serial})
    return certificate


# --- finding and verifying ---------------------------------------------------------------------------------------


def find(session: Session, text: str) -> Certificate | None:
    serial = serials.normalise(text)
    return session.scalar(select(Certificate).where(Certificate.serial == serial)) if serial else None


def revoked(session: Session) -> dict[str, date]:
    return {serial: as_utc(at).date() for serial, at in session.execute(
        select(Certificate.serial, Certificate.revoked_at).where(Certificate.revoked_at.is_not(None)))}


def verify(session: Session, keyring: Keyring, text: str, today: date) -> Result:
    """The verdict for a typed or scanned serial: valid, revoked, expired or unknown (or a bad signature)."""
    certificate = find(session, text)
    revocations = {} if certificate is None or certificate.revoked_at is None else \
        {certificate.serial: as_utc(certificate.revoked_at).date()}
    return judge(certificate.bundle if certificate else None, keyring, revocations, today)


def get_certificate(session: Session, user: User, certificate_id: int) -> Certificate:
    """The certificate, if ``user`` may download it: its holder, its cohort's trainers, or coordinators."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(N_("No such certificate."))
    if certificate.user_id == user.id or sees_all(user):
        return certificate
    if certificate.cohort is not None and any(link.user_id == user.id for link in certificate.cohort.trainer_links):
        return certificate
    raise NotFound(N_("No such certificate."))


def of_user(session: Session, user_id: int) -> list[Certificate]:
    return list(session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def of_cohort(session: Session, trainer: User, cohort_id: int) -> tuple[Cohort, list[Certificate]]:
    cohort = get_cohort(session, trainer, cohort_id)
    return cohort, list(session.scalars(select(Certificate).where(Certificate.cohort_id == cohort.id)
                                        .order_by(Certificate.recipient_name, Certificate.id)))


# --- the registry ---------------------------------------------------------------------------------------------


def registry(session: Session, text: str, status: str | None, page: int, per_page: int,
             today: date) -> Page[Certificate]:
    query = select(Certificate).order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    text = (text or "").strip()
    if text:
        serial = serials.normalise(text)
        like = f"%{text.lower()}%"
        query = query.where(or_(func.lower(Certificate.recipient_name).like(like),
                                Certificate.serial == (serial or "")))
    if status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    elif status == "expired":
        query = query.where(Certificate.revoked_at.is_(None), Certificate.expires_on < today)
    elif status == "valid":
        query = query.where(Certificate.revoked_at.is_(None),
                            or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today))
    return paginate(session, query, page, per_page)


def expiring(session: Session, today: date, days: int = 90) -> list[Certificate]:
    """Valid certificates that expire within ``days``: whom to invite to a refresher cohort."""
    return list(session.scalars(select(Certificate).where(
        Certificate.revoked_at.is_(None), Certificate.expires_on >= today,
        Certificate.expires_on <= today + timedelta(days=days)).order_by(Certificate.expires_on)))


def revoke(session: Session, coordinator: User, certificate_id: int, reason: str) -> Certificate:
    if not coordinator.has_role(Role.COORDINATOR, Role.ADMIN):
        raise PermissionDenied(N_("Only coordinators can revoke certificates."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(N_("Give the reason for revoking."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(N_("At most %(n)d characters."), field="reason", n=MAX_REASON)
    certificate = session.get(Certificate, certificate_id)
    if certificate is None:
        raise NotFound(N_("No such certificate."))
    if certificate.revoked_at is not None:
        raise Conflict(N_("This certificate was already revoked."))
    with transaction(session):
        certificate.revoked_at, certificate.revoked_reason = utcnow(), reason
        certificate.revoked_by_id = coordinator.id
        audit.record(session, coordinator.id, "certificate.revoke", "certificate", certificate.id,
                     {"serial": certificate.serial, "reason": reason})
    return certificate


def for_enrolment(session: Session, enrolment_id: int) -> Certificate | None:
    return session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment_id))

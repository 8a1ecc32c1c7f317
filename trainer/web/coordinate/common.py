"""What the coordinator pages share: the blueprint, reading filters from the query string (with clear messages for
bad ones), who sees what, and the content in the reader's language."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import N_, InvalidInput
from trainer.extensions import db
from trainer.models import CohortKind, Role
from trainer.services import reporting

bp = Blueprint("coordinate", __name__)


def lang() -> str:
    return str(get_locale())


def store():
    return current_app.extensions["content"]


def national() -> bool:
    return current_user.has_role(Role.COORDINATOR, Role.ADMIN)


def date_arg(name: str) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(N_("%(value)s is not a date: use YYYY-MM-DD."), field=name, value=text[:20]) from error


def _id(name: str) -> int | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput(N_("%(value)s is not a valid choice."), field=name, value=text[:20])
    return int(text)


def filters() -> reporting.Filters:
    """The dashboard filters from the query string; a trainer's are narrowed to their own cascade."""
    kind = request.args.get("kind", "").strip()
    if kind and kind not in CohortKind._value2member_map_:
        raise InvalidInput(N_("%(value)s is not a valid choice."), field="kind", value=kind[:20])
    scope = None if national() else reporting.subtree_cohorts(db.session, current_user)
    return reporting.Filters(date_from=date_arg("from"), date_to=date_arg("to"), agency_id=_id("agency"),
                             province_id=_id("province"), kind=CohortKind(kind) if kind else None,
                             cohort_ids=scope).check(db.session)


def dimension() -> reporting.Dimension:
    value = request.args.get("by", "province")
    if value not in reporting.Dimension._value2member_map_:
        raise InvalidInput(N_("%(value)s is not a valid choice."), field="by", value=value[:20])
    return reporting.Dimension(value)


def dimension_labels() -> dict[str, str]:
    D = reporting.Dimension  # noqa: N806
    return {D.PROVINCE: _("Province"), D.AGENCY: _("Agency"), D.STATION: _("Duty station"), D.COHORT: _("Cohort"),
            D.KIND: _("Cohort kind"), D.MODULE: _("Module"), D.MONTH: _("Month")}


def module_titles() -> dict[str, str]:
    return {m.id: str(store().module(m.id, lang()).title) for m in store().get().ordered_modules()}

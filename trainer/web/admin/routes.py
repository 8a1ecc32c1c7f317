"""Administration: accounts, agencies, provinces and duty stations. Administrators only."""
from __future__ import annotations

from babel import Locale
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from trainer.errors import DomainError
from trainer.extensions import db
from trainer.models import Role, StationKind
from trainer.services import org, users
from trainer.web import helpers
from trainer.web.access import admin_required
from trainer.web.admin.forms import AgencyForm, ConfirmForm, NamedForm, StationForm, UserForm, UserSearchForm
from trainer.web.helpers import client_ip, show_error
from trainer.web.i18n import language_choices
from trainer.web.labels import ROLE_LABELS

bp = Blueprint("admin", __name__)

# URL segment -> service kind, form, template titles.
NAMED = {
    "agencies": ("agency", AgencyForm),
    "provinces": ("province", NamedForm),
    "stations": ("station", StationForm),
}


def _reference_choices(kind: str, blank: str | None) -> list:
    lang = str(get_locale())
    pairs = [(item.id, item.display_name(lang)) for item in org.list_all(db.session, kind)]
    return helpers.choices(([(None, blank)] if blank is not None else []) + pairs)


def _user_form(**kwargs) -> UserForm:
    form = UserForm(**kwargs)
    form.agency_id.choices = _reference_choices("agency", _("None"))
    form.duty_station_id.choices = _reference_choices("station", _("None"))
    form.preferred_language.choices = helpers.choices([("", _("As the browser asks"))] + language_choices())
    return form


def _user_data(form: UserForm) -> users.UserData:
    return users.UserData(
        username=form.username.data, full_name=form.full_name.data, email=form.email.data or None,
        roles={Role(r) for r in form.roles.data}, agency_id=form.agency_id.data,
        duty_station_id=form.duty_station_id.data, preferred_language=form.preferred_language.data or None,
        active=form.active.data,
    )


@bp.route("/users")
@admin_required
def user_list():
    search = UserSearchForm(request.args)
    roles = [(role.value, label) for role, label in ROLE_LABELS.items()]
    search.role.choices = helpers.choices([("", _("Any role"))] + roles)
    search.status.choices = helpers.choices([("", _("Any status")), ("active", _("Active")),
                                             ("inactive", _("Deactivated"))])
    search.validate()
    flt = users.UserFilter(
        text=(search.q.data or "")[:100],
        role=Role(search.role.data) if search.role.data in set(Role) else None,
        active={"active": True, "inactive": False}.get(search.status.data),
    )
    page = users.list_users(db.session, flt, request.args.get("page", 1, type=int),
                            current_app.config["USERS_PER_PAGE"])
    return render_template("admin/users.html", search=search, page=page, confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = _user_form()
    if not form.is_submitted():
        form.roles.data = [Role.TRAINEE.value]
    if form.validate_on_submit():
        try:
            user, password = users.create_user(db.session, current_user.id, _user_data(form), ip_address=client_ip())
        except DomainError as error:
            show_error(error, form)
        else:
            return render_template("admin/password_issued.html", user=user, password=password, created=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    user = _get_or_404(users.get_user, user_id)
    form = _user_form(obj=user)
    if not form.is_submitted():
        form.roles.data = sorted(user.roles)
        form.preferred_language.data = user.preferred_language or ""
    if form.validate_on_submit():
        try:
            users.update_user(db.session, current_user.id, user_id, _user_data(form), ip_address=client_ip())
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("The account of %(name)s has been saved.", name=user.full_name), "success")
            return redirect(url_for("admin.user_list"))
    return render_template("admin/user_form.html", form=form, user=user, confirm=ConfirmForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def user_set_active(user_id: int):
    active = request.form.get("active") == "1"
    try:
        user = users.set_active(db.session, current_user.id, user_id, active, ip_address=client_ip())
    except DomainError as error:
        if error.status == 404:
            abort(404)
        show_error(error)
    else:
        message = _("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in.")
        flash(message % {"name": user.full_name}, "success")
    if request.form.get("back") == "list":
        return redirect(url_for("admin.user_list"))
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@admin_required
def user_reset_password(user_id: int):
    user, password = _get_or_404(users.reset_password, current_user.id, user_id, ip_address=client_ip())
    return render_template("admin/password_issued.html", user=user, password=password, created=False)


def _get_or_404(call, *args, **kwargs):
    try:
        return call(db.session, *args, **kwargs)
    except DomainError as error:
        if error.status == 404:
            abort(404)
        raise


def _named(segment: str) -> tuple[str, type[NamedForm]]:
    if segment not in NAMED:
        abort(404)
    kind, form_class = NAMED[segment]
    ui = str(get_locale())
    others = {code: Locale.parse(code).get_display_name(ui) for code in current_app.config["LANGUAGES"]
              if code != "en"}
    return kind, form_class.for_languages(others)


def _named_form(kind: str, form_class: type[NamedForm], item=None) -> NamedForm:
    form = form_class(obj=item)
    if item is not None and not form.is_submitted():
        for code, value in (item.local_names or {}).items():
            if hasattr(form, f"name_{code}"):
                getattr(form, f"name_{code}").data = value
        if kind == "station":
            form.kind.data = item.kind.value
    if kind == "station":
        form.province_id.choices = _reference_choices("province", None)
    return form


def _named_data(kind: str, form: NamedForm) -> org.NamedData:
    local = {name[5:]: field.data or "" for name, field in form._fields.items() if name.startswith("name_")}
    data = org.NamedData(name=form.name.data, local_names=local)
    if kind == "agency":
        data.code = form.code.data
    if kind == "station":
        data.kind, data.province_id = StationKind(form.kind.data), form.province_id.data
    return data


@bp.route("/<any(agencies,provinces,stations):segment>")
@admin_required
def named_list(segment: str):
    kind, _form = _named(segment)
    return render_template("admin/named_list.html", segment=segment, kind=kind,
                           items=org.list_all(db.session, kind), confirm=ConfirmForm())


@bp.route("/<any(agencies,provinces,stations):segment>/new", methods=["GET", "POST"])
@bp.route("/<any(agencies,provinces,stations):segment>/<int:item_id>", methods=["GET", "POST"])
@admin_required
def named_edit(segment: str, item_id: int | None = None):
    kind, form_class = _named(segment)
    item = _get_or_404(org.get, kind, item_id) if item_id is not None else None
    form = _named_form(kind, form_class, item)
    if form.validate_on_submit():
        try:
            org.save(db.session, current_user.id, kind, _named_data(kind, form), item_id, ip_address=client_ip())
        except DomainError as error:
            show_error(error, form)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.named_list", segment=segment))
    return render_template("admin/named_form.html", segment=segment, kind=kind, form=form, item=item)


@bp.route("/<any(agencies,provinces,stations):segment>/<int:item_id>/delete", methods=["POST"])
@admin_required
def named_delete(segment: str, item_id: int):
    kind, _form = _named(segment)
    try:
        org.delete(db.session, current_user.id, kind, item_id, ip_address=client_ip())
    except DomainError as error:
        if error.status == 404:
            abort(404)
        show_error(error)
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.named_list", segment=segment))

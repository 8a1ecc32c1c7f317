from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.web.helpers import choices
from trainer.web.labels import KIND_LABELS, ROLE_LABELS


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=2, max=64), Regexp(
        r"^[A-Za-z0-9][A-Za-z0-9._-]*$", message=_l("Use letters, digits, dots, dashes or underscores."))],
        render_kw={"autocapitalize": "none", "autocomplete": "off"})
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=160)])
    email = StringField(_l("Email (optional)"), validators=[Optional(), Length(max=254),
                                                            Email(check_deliverability=False)])
    roles = CheckboxesField(_l("Roles"), choices=choices((r.value, label) for r, label in ROLE_LABELS.items()),
                            validators=[DataRequired(message=_l("Choose at least one role."))])
    agency_id = SelectField(_l("Agency"), coerce=_int_or_none, validate_choice=True)
    duty_station_id = SelectField(_l("Duty station"), coerce=_int_or_none, validate_choice=True)
    preferred_language = SelectField(_l("Language"), choices=[])
    active = BooleanField(_l("Account is active"), default=True)
    submit = SubmitField(_l("Save"))


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])


class NamedForm(FlaskForm):
    name = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    submit = SubmitField(_l("Save"))

    @classmethod
    def for_languages(cls, languages: dict[str, str]) -> type["NamedForm"]:
        """A subclass with one optional ``name_<code>`` field per other language, labelled with its name."""
        fields = {
            f"name_{code}": StringField(_l("Name (%(language)s)", language=name),
                                        validators=[Optional(), Length(max=160)])
            for code, name in languages.items()
        }
        return type(cls.__name__, (cls,), fields)


class AgencyForm(NamedForm):
    code = StringField(_l("Short code"), validators=[DataRequired(), Length(max=16), Regexp(
        r"^[A-Za-z0-9-]+$", message=_l("Use letters, digits or dashes."))])


class StationForm(NamedForm):
    kind = SelectField(_l("Kind"), choices=choices((k.value, label) for k, label in KIND_LABELS.items()))
    province_id = SelectField(_l("Province"), coerce=_int_or_none, validate_choice=True)


class ConfirmForm(FlaskForm):
    """A bare form for buttons that change something (activate, reset, delete): carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))

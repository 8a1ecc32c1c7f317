from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.web.helpers import choices
from trainer.web.labels import ATTENDANCE_LABELS, CERTIFICATE_MODE_LABELS, COHORT_KIND_LABELS, COHORT_STATUS_LABELS


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, label) for k, label in COHORT_KIND_LABELS.items()))
    agency_id = SelectField(_l("Agency"), coerce=_int_or_none, validate_choice=True)
    duty_station_id = SelectField(_l("Place (duty station)"), coerce=_int_or_none, validate_choice=True)
    start_on = DateField(_l("Start date"), validators=[Optional()])
    end_on = DateField(_l("End date"), validators=[Optional()])
    status = SelectField(_l("Status"),
                         choices=choices((s.value, label) for s, label in COHORT_STATUS_LABELS.items()))
    min_attendance = IntegerField(_l("Minimum attendance (%)"), default=0,
                                  validators=[NumberRange(min=0, max=100)],
                                  description=_l("Share of the in-person sessions a trainee must attend to "
                                                 "complete the cohort. 0 means attendance is not required."))
    certificate_mode = SelectField(
        _l("Certificates"), choices=choices((m.value, label) for m, label in CERTIFICATE_MODE_LABELS.items()))
    submit = SubmitField(_l("Save"))


class AssignmentForm(FlaskForm):
    module_id = SelectField(_l("Module"), validate_choice=True)
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))


class UsernameForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocapitalize": "none", "autocomplete": "off"})
    submit = SubmitField(_l("Add"))


class MoveForm(FlaskForm):
    target = SelectField(_l("Move to cohort"), coerce=_int_or_none, validate_choice=True)
    submit = SubmitField(_l("Move"))


class RosterForm(FlaskForm):
    file = FileField(_l("Roster file (CSV)"), validators=[FileRequired(_l("Choose a CSV file."))])
    submit = SubmitField(_l("Check the file"))


class RosterConfirmForm(FlaskForm):
    roster = HiddenField()
    digest = HiddenField()
    submit = SubmitField(_l("Import"))


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add session"))


class JoinForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[DataRequired(), Length(max=32)],
                       render_kw={"autocapitalize": "characters", "autocomplete": "off"})
    submit = SubmitField(_l("Join"))


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected form for one-button actions."""


ATTENDANCE_CHOICES = [(s.value, label) for s, label in ATTENDANCE_LABELS.items()]


def attendance_field(label: str) -> RadioField:
    return RadioField(label, choices=choices(ATTENDANCE_CHOICES), validators=[DataRequired()])

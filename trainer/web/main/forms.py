from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length


class LanguageSwitchForm(FlaskForm):
    """The switcher on every page: one button per language, so it works without JavaScript."""

    lang = StringField(validators=[Length(max=16)])
    next = HiddenField()


class ProfileForm(FlaskForm):
    preferred_language = SelectField(_l("Language"), choices=[])
    submit = SubmitField(_l("Save"))

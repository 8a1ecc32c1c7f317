from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class MrzForm(FlaskForm):
    lines = TextAreaField(_l("Machine readable zone"), validators=[DataRequired(), Length(max=200)],
                          description=_l("Paste or type the two or three lines, one per line, exactly as printed."),
                          render_kw={"rows": 3, "spellcheck": "false", "autocapitalize": "characters",
                                     "autocomplete": "off", "class": "mrz-input"})
    on = DateField(_l("Check expiry on (optional)"), validators=[Optional()])

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """Carries the CSRF token for the quiz forms; the answer fields are read by the question type."""

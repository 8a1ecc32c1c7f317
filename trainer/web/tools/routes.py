"""Tools for any signed-in officer: the MRZ checker."""
from __future__ import annotations

from flask import Blueprint, render_template

from trainer.content import mrz
from trainer.content.mrz_report import mrz_report
from trainer.web.access import login_required
from trainer.web.tools.forms import MrzForm

bp = Blueprint("tools", __name__)


@bp.route("/mrz", methods=["GET", "POST"])
@login_required
def mrz_checker():
    form = MrzForm()
    report = working = None
    if form.validate_on_submit():
        result = mrz.parse(form.lines.data)
        report = mrz_report(result, form.on.data)
        # Each check digit's working: character, value, weight, product.
        working = {check.name: mrz.arithmetic(check.over) for check in result.checks
                   if check.kind == "check_digit" and check.over}
    return render_template("tools/mrz.html", form=form, report=report, working=working), 200 if (
        report is not None or not form.is_submitted()) else 400

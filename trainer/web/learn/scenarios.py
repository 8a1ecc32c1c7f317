"""Interview scenarios: intro, one decision at a time, debrief."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.content import scenarios as scenario_engine
from trainer.errors import N_, DomainError, InvalidInput, NotFound
from trainer.extensions import db
from trainer.services import scenario_runs
from trainer.web.access import trainee_required
from trainer.web.i18n import error_message
from trainer.web.learn.common import bp, lang, standing_of, store
from trainer.web.learn.forms import ActionForm


class NoChoice(InvalidInput):
    message = N_("Choose one of the options, then press Decide.")


def _run_or_404(run_id: int):
    try:
        return scenario_runs.get_run(db.session, current_user.id, run_id)
    except NotFound:
        abort(404)


@bp.route("/scenarios/<scenario_id>")
@trainee_required
def scenario(scenario_id: str):
    scenario = store().scenario(scenario_id, lang())
    if scenario is None:
        abort(404)
    content = store().get()
    module = store().module(content.scenario_module[scenario_id], lang())
    standing = standing_of(module.id)
    return render_template("learn/scenario.html", scenario=scenario, module=module, standing=standing,
                           scenario_standing=standing.scenarios[scenario_id],
                           runs=scenario_runs.runs_of(db.session, current_user.id, scenario_id), form=ActionForm())


@bp.route("/scenarios/<scenario_id>/start", methods=["POST"])
@trainee_required
def scenario_start(scenario_id: str):
    try:
        run = scenario_runs.start(db.session, store().get(), current_user.id, scenario_id, lang())
    except DomainError as error:
        if error.status == 404:
            abort(404)
        flash(error_message(error), "error")
        return redirect(url_for("learn.scenario", scenario_id=scenario_id))
    return redirect(url_for("learn.run", run_id=run.id))


@bp.route("/runs/<int:run_id>", methods=["GET", "POST"])
@trainee_required
def run(run_id: int):
    run = _run_or_404(run_id)
    form = ActionForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        step = request.form.get("step", type=int) or 0
        try:
            if request.form.get("go") == "back":
                scenario_runs.back(db.session, store().get(), current_user.id, run.id, step)
            elif not request.form.get("choice"):
                raise NoChoice()
            else:
                scenario_runs.choose(db.session, store().get(), current_user.id, run.id,
                                     request.form.get("choice", ""), step)
        except scenario_runs.StaleStep as error:
            flash(error_message(error), "info")
        except DomainError as error:
            flash(error_message(error), "error")
            status = error.status
        else:
            return redirect(url_for("learn.run", run_id=run.id))
        db.session.expire_all()
    if run.finished:
        return redirect(url_for("learn.debrief", run_id=run.id))
    try:
        scenario = scenario_runs.scenario_for(store().get(), run)
    except scenario_runs.ScenarioChanged as error:
        flash(error_message(error), "info")
        return redirect(url_for("learn.scenario", scenario_id=run.scenario_id))
    localized = store().scenario(scenario.id, lang())
    node = localized.node(run.state["node"])
    return render_template("learn/run.html", run=run, scenario=localized, node=node, form=form,
                           step=len(run.state["path"]) + 1), status


@bp.route("/runs/<int:run_id>/debrief")
@trainee_required
def debrief(run_id: int):
    run = _run_or_404(run_id)
    if not run.finished:
        return redirect(url_for("learn.run", run_id=run.id))
    scenario = store().scenario(run.scenario_id, lang())
    outcome = None
    if scenario is not None and scenario.version == run.scenario_version:
        outcome = scenario_engine.result(scenario, run.state)
    return render_template("learn/debrief.html", run=run, scenario=scenario, result=outcome,
                           labels=store().indicator_labels(lang()), form=ActionForm())

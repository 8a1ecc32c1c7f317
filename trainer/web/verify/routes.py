"""The public verification page (anyone, rate-limited; shows only name, course, hours and dates) and the
documents an offline verifier needs: public keys, the signed revocation list, and the Open Badges issuer."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from trainer.certificates import openbadges
from trainer.certificates.data import hours_text
from trainer.certificates.verify import revocation_list_document
from trainer.extensions import db, limiter
from trainer.models.base import utcnow
from trainer.services import certificates
from trainer.web.access import public
from trainer.web.certificates.common import keyring

bp = Blueprint("verify", __name__)


def _limit() -> str:
    return current_app.config["VERIFY_LIMIT"]


@bp.route("/")
@bp.route("/<serial>")
@public
@limiter.limit(_limit)
def check(serial: str | None = None):
    text = (serial or request.args.get("serial", ""))[:40]
    result = certificates.verify(db.session, keyring(), text, utcnow().date()) if text.strip() else None
    shown = result.data if result is not None and result.signature_ok and result.data is not None else None
    return render_template("verify/check.html", text=text, result=result, shown=shown,
                           hours=hours_text(shown.minutes) if shown else None)


@bp.route("/keys.json")
@public
def keys():
    return jsonify(keyring().public_keys_document())


@bp.route("/revocations.json")
@public
def revocations():
    return jsonify(revocation_list_document(certificates.revoked(db.session), keyring(), utcnow().date()))


@bp.route("/issuer.json")
@public
def issuer_profile():
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return jsonify(openbadges.issuer_profile(keyring(), base + request.path, current_app.config[
        "CERTIFICATE_ISSUER_NAME"], base + "/"))

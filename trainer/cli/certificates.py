"""``flask certificates ...``: verify a PDF or a serial offline, issue what is due, make and rotate signing keys."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.certificates import signing
from trainer.certificates.pdf import extract_bundle
from trainer.certificates.verify import Result, judge, read_revocation_list
from trainer.extensions import db
from trainer.models.base import utcnow
from trainer.services import certificates
from trainer.web.certificates.common import keyring


@click.group("certificates")
def certificates_group():
    """Certificates: verify, and manage the signing keys."""


def _print(result: Result, source: str) -> None:
    click.echo(f"{source}: {result.verdict.value.upper().replace('_', ' ')}")
    if result.signature_ok and result.data is not None:
        data = result.data
        click.echo(f"  {data.recipient_name} — {data.title('en')} — completed {data.completed_on.isoformat()}, "
                   f"issued {data.issued_on.isoformat()}"
                   + (f", valid until {data.expires_on.isoformat()}" if data.expires_on else ""))
    if result.revoked_on:
        click.echo(f"  revoked on {result.revoked_on.isoformat()}")


@certificates_group.command("verify")
@click.argument("target")
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A published keys.json to check against instead of this installation's keys.")
@click.option("--revocations", "revocations_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A published revocations.json instead of this installation's registry.")
@with_appcontext
def verify_command(target: str, keys_file: Path | None, revocations_file: Path | None):
    """Check TARGET (a certificate PDF, or a serial) offline: signature, revocation and expiry. Exit status 0
    means valid; 1 means anything else."""
    ring = signing.Keyring.from_public_document(json.loads(keys_file.read_text())) if keys_file else keyring()
    today = utcnow().date()
    path = Path(target)
    if path.is_file():
        bundle = extract_bundle(path.read_bytes())
        if bundle is None:
            click.echo(f"{target}: MALFORMED (no signed certificate data inside)")
            sys.exit(1)
        if revocations_file:
            revoked = read_revocation_list(json.loads(revocations_file.read_text()), ring).revoked
        else:
            revoked = certificates.revoked(db.session)
        result = judge(bundle, ring, revoked, today)
    else:
        result = certificates.verify(db.session, ring, target, today)
    _print(result, target)
    sys.exit(0 if result.valid else 1)


@certificates_group.command("new-key")
def new_key_command():
    """Print a new Ed25519 private key (PEM) for CERTIFICATE_SIGNING_KEY in production."""
    click.echo(signing.generate_private_pem(), nl=False)


@certificates_group.command("rotate-key")
@with_appcontext
def rotate_key_command():
    """Development key folder: add a new signing key; older keys stay for verifying old certificates."""
    if current_app.config["CERTIFICATE_SIGNING_KEY"]:
        raise click.ClickException("keys come from CERTIFICATE_SIGNING_KEY here: set a new one and list the old "
                                   "public key in CERTIFICATE_PUBLIC_KEYS")
    folder = current_app.config["CERTIFICATE_KEY_FOLDER"] or str(Path(current_app.instance_path) / "certificate-keys")
    kid = signing.rotate(folder)
    current_app.extensions.pop("certificate_keyring", None)
    click.echo(f"New signing key {kid} in {folder}.")

"""An MRZ check result as plain data (for the CLI's JSON and the checker page)."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date

from trainer.content import mrz


def mrz_report(result: mrz.MrzResult, on: date | None = None) -> dict:
    """``valid`` speaks of format and check digits only; with ``on``, an ``expiry`` check is added."""
    checks = list(result.checks)
    if on is not None and not result.format_errors:
        expiry = mrz.expiry_on(result, on)
        if expiry is not None:
            checks.append(expiry)
    return {
        "format": result.format,
        "valid": result.valid,
        "format_errors": list(result.format_errors),
        "fields": dict(result.fields),
        "checks": [asdict(check) for check in checks],
    }

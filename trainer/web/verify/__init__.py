"""Public verification of certificates: by serial or QR, plus the published keys, revocations and issuer."""
from trainer.web.verify.routes import bp

__all__ = ["bp"]

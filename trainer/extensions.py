"""Extensions, created unbound here and bound to an app in the factory (Flask's app-factory pattern)."""
from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from trainer import db_events  # noqa: F401  (registers SQLite connection settings)
from trainer.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared per route; storage comes from RATELIMIT_STORAGE_URI (memory:// or redis://).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()

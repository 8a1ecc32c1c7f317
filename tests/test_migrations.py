"""Migrations build the schema the models describe, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from trainer.extensions import db
from trainer.models import Base


def test_migrated_schema_matches_the_models(app):
    # The session fixture ran `flask db upgrade` on an empty database; nothing may be left to migrate.
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_constraint_names_follow_the_convention(app):
    names = {c.name for table in Base.metadata.tables.values() for c in table.constraints}
    assert "pk_user_account" in names and "uq_user_account_username" in names
    assert "fk_user_account_agency_id_agency" in names

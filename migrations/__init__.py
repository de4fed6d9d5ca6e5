"""Alembic migrations. `doorstep migrate` applies them; production never calls create_all."""

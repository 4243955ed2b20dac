"""Alembic migrations and seed/reference data, shipped as ``returndesk.db``."""

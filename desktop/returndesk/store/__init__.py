"""Persistence: SQLAlchemy schema, engines for SQLite and PostgreSQL, migrations, read queries."""

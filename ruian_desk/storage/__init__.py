"""Workspace storage: SQLite, the only place with SQL (repository.py) and the schema (migrations.py). No Qt."""

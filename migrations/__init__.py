"""The Alembic migrations, installed as the data package `survey.migrations` (see pyproject)."""

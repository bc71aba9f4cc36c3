"""Languages (issue 19, SPEC §14): a person's language, NULL for the app's default.

Revision ID: d8e2b6f41a90
Revises: 5e2b8d1f0a17
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'd8e2b6f41a90'
down_revision = '5e2b8d1f0a17'
branch_labels = None
depends_on = None


def upgrade():
    # added and dropped in place (SQLite 3.35+ has DROP COLUMN), as 0009 does: a batch copy
    # of person would rename the constraints earlier downgrades drop by name
    op.add_column('person', sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column('person', 'language')

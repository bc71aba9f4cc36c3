"""Agreement (issue 15, SPEC §10): the campaign's spread_min, the fewest answers behind a cell
that shows its standard deviation and agreement word (never below the campaign's k).

Revision ID: 5d2e8b7f0a16
Revises: c4f1a9e2d7b3
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '5d2e8b7f0a16'
down_revision = 'c4f1a9e2d7b3'
branch_labels = None
depends_on = None


def upgrade():
    # added and dropped in place, like 0009: a batch copy of campaign would lose constraint names
    op.add_column(
        'campaign', sa.Column('spread_min', sa.Integer(), server_default='5', nullable=False)
    )


def downgrade():
    op.drop_column('campaign', 'spread_min')

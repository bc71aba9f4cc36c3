"""HR's close seals in the background (issue 16): campaign.sealed_at, set when the responses of
a closed campaign have been sealed (SPEC §6; `survey.services.sealing`). Campaigns closed before
this revision were sealed in their closing transaction: they get their close time.

Revision ID: 7e3b9c1d4a20
Revises: d8e2b6f41a90
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '7e3b9c1d4a20'
down_revision = 'd8e2b6f41a90'
branch_labels = None
depends_on = None


def upgrade():
    # added and dropped in place, like 0009 and 0010: a batch copy would lose constraint names
    op.add_column('campaign', sa.Column('sealed_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE campaign SET sealed_at = closed_at WHERE closed_at IS NOT NULL")


def downgrade():
    op.drop_column('campaign', 'sealed_at')

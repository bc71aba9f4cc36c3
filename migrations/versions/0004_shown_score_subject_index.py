"""Index shown_score (campaign_id, subject_id): exports read a campaign's cells in subject order
as a stream instead of sorting every cell first (issue 8).

Revision ID: 5d2a9c7e4f13
Revises: 3c1f0a7e5b21
Create Date: 2026-11-29
"""
from alembic import op

revision = '5d2a9c7e4f13'
down_revision = '3c1f0a7e5b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shown_score', schema=None) as batch_op:
        batch_op.create_index('ix_shown_score_subject', ['campaign_id', 'subject_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shown_score', schema=None) as batch_op:
        batch_op.drop_index('ix_shown_score_subject')

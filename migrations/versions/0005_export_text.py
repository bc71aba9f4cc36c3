"""Export text: each subject's shown cells as ready CSV text (after the person columns), written
with the frozen report at close, so the export streams one row per subject (issue 8).

Campaigns closed before this revision have no rows here; the next export (or precompute)
writes them from `shown_score`.

Revision ID: 8e4b6d2f1a37
Revises: 5d2a9c7e4f13
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '8e4b6d2f1a37'
down_revision = '5d2a9c7e4f13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_text',
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_export_text_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_export_text_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subject_id', name=op.f('pk_export_text'))
    )
    with op.batch_alter_table('export_text', schema=None) as batch_op:
        batch_op.create_index('ix_export_text_campaign', ['campaign_id', 'subject_id'], unique=False)


def downgrade():
    with op.batch_alter_table('export_text', schema=None) as batch_op:
        batch_op.drop_index('ix_export_text_campaign')
    op.drop_table('export_text')

"""Frozen report results: report_snapshot (one JSON document per subject) and shown_score (every
shown cell, for the HR organisation view and exports). Written once a campaign is closed.

Revision ID: 7b3e2c1d9a40
Revises: fe8bd7ef8804
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '7b3e2c1d9a40'
down_revision = 'fe8bd7ef8804'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshot',
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_report_snapshot_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_report_snapshot_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subject_id', name=op.f('pk_report_snapshot'))
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_snapshot_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('shown_score',
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('item', sa.String(length=64), nullable=False),
    sa.Column('rater_group', sa.String(length=20), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=False),
    sa.Column('score_centi', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('na', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_shown_score_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_shown_score_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subject_id', 'section', 'kind', 'area', 'item', 'rater_group', name=op.f('pk_shown_score'))
    )
    with op.batch_alter_table('shown_score', schema=None) as batch_op:
        batch_op.create_index('ix_shown_score_org', ['campaign_id', 'kind', 'rater_group', 'section'], unique=False)


def downgrade():
    with op.batch_alter_table('shown_score', schema=None) as batch_op:
        batch_op.drop_index('ix_shown_score_org')
    op.drop_table('shown_score')
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_snapshot_campaign_id'))
    op.drop_table('report_snapshot')

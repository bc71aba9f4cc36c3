"""One stored copy of a frozen report: report_snapshot keeps each subject's document and gains
the subject's team as at close; org_norms holds each level's organisation norms, computed at
close; shown_score and export_text (the same figures as rows and as CSV text) are dropped.

Upgrading keeps every stored document; a campaign closed before this revision has no org_norms
rows, so its norms are computed from the stored documents when read until its reports are
frozen again.

Downgrading recreates shown_score and export_text empty and deletes the stored documents: the
previous release treats a stored document as complete only with its shown cells beside it, and
recomputes each report (cells and text included) on first read instead.

Revision ID: c4a1e9d27b60
Revises: 8e4b6d2f1a37
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4a1e9d27b60'
down_revision = '8e4b6d2f1a37'
branch_labels = None
depends_on = None

# The team as at close: export_text held it for every current snapshot; else the person's team.
FILL_TEAM = """
UPDATE report_snapshot SET team = COALESCE(
    (SELECT e.team FROM export_text e WHERE e.subject_id = report_snapshot.subject_id),
    (SELECT p.team FROM subject s JOIN person p ON p.id = s.person_id
     WHERE s.id = report_snapshot.subject_id),
    '')
"""


def upgrade():
    op.create_table('org_norms',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('format', sa.Integer(), nullable=False),
    sa.Column('norms', sa.JSON(), nullable=False),
    sa.Column('teams', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_org_norms_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'level', name=op.f('pk_org_norms'))
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=200), nullable=True))
    op.execute(FILL_TEAM)
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.alter_column('team', existing_type=sa.String(length=200), nullable=False)

    with op.batch_alter_table('export_text', schema=None) as batch_op:
        batch_op.drop_index('ix_export_text_campaign')
    op.drop_table('export_text')
    with op.batch_alter_table('shown_score', schema=None) as batch_op:
        batch_op.drop_index('ix_shown_score_subject')
        batch_op.drop_index('ix_shown_score_org')
    op.drop_table('shown_score')


def downgrade():
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
        batch_op.create_index('ix_shown_score_subject', ['campaign_id', 'subject_id'], unique=False)

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

    op.execute("DELETE FROM report_snapshot")
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_column('team')
    op.drop_table('org_norms')

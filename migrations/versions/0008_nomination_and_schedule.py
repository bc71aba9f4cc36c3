"""Rater nomination (proposed lists, their links and peers), the per-campaign peer and load
limits, and the clock's settings and record of what it did (SPEC §13, issue 18).

Existing campaigns get nomination off, min_peers 3, max_requests_per_rater 8, no scheduled
reminders and no automatic release: they run exactly as before.

Revision ID: a7c4e9b2d518
Revises: 8e4b6d2f1a37
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c4e9b2d518'
down_revision = '8e4b6d2f1a37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('schedule_step',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_schedule_step_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'step', name=op.f('pk_schedule_step'))
    )
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'proposed', 'approved', 'rejected', name='nominationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_nomination_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_nomination_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nomination')),
    sa.UniqueConstraint('subject_id', name=op.f('uq_nomination_subject_id'))
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('nomination_link',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('subject', 'manager', name='linkrole', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_link_nomination_id_nomination'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_nomination_link'))
    )
    with op.batch_alter_table('nomination_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_link_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('nomination_peer',
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], name=op.f('fk_nomination_peer_nomination_id_nomination'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_nomination_peer_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nomination_id', 'person_id', name=op.f('pk_nomination_peer'))
    )
    with op.batch_alter_table('nomination_peer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_peer_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nomination', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('min_peers', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('max_requests_per_rater', sa.Integer(), nullable=False, server_default='8'))
        batch_op.add_column(sa.Column('nomination_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('nomination_closes_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('nominations_sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reminder_days', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('release_after_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('release_after_days')
        batch_op.drop_column('reminder_days')
        batch_op.drop_column('nominations_sent_at')
        batch_op.drop_column('nomination_closes_at')
        batch_op.drop_column('nomination_deadline')
        batch_op.drop_column('max_requests_per_rater')
        batch_op.drop_column('min_peers')
        batch_op.drop_column('nomination')
    with op.batch_alter_table('nomination_peer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_peer_person_id'))

    op.drop_table('nomination_peer')
    with op.batch_alter_table('nomination_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_link_nomination_id'))

    op.drop_table('nomination_link')
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_campaign_id'))

    op.drop_table('nomination')
    op.drop_table('schedule_step')

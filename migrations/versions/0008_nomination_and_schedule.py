"""Rater nomination (proposed lists, their links and peers), the per-campaign peer and load
limits, and the clock's settings and record of what it did (SPEC §13, issue 18).

Existing campaigns get nomination off, min_peers 3, max_requests_per_rater 8, no scheduled
reminders and no automatic release: they run exactly as before.

Revision ID: a7c4e9b2d518
Revises: 8e4b6d2f1a37
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7c4e9b2d518'
down_revision = '2f9c4e7a1b63'
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

    # Plain ADD COLUMN, never batch mode: SQLite's batch mode copies and drops the table, and
    # with foreign keys on, dropping campaign would cascade to every subject and invitation.
    op.add_column('campaign', sa.Column('nomination', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('campaign', sa.Column('min_peers', sa.Integer(), nullable=False, server_default='3'))
    op.add_column('campaign', sa.Column('max_requests_per_rater', sa.Integer(), nullable=False, server_default='8'))
    op.add_column('campaign', sa.Column('nomination_deadline', sa.Date(), nullable=True))
    op.add_column('campaign', sa.Column('nomination_closes_at', sa.DateTime(), nullable=True))
    op.add_column('campaign', sa.Column('nominations_sent_at', sa.DateTime(), nullable=True))
    op.add_column('campaign', sa.Column('reminder_days', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('campaign', sa.Column('release_after_days', sa.Integer(), nullable=True))


def downgrade():
    for column in ('release_after_days', 'reminder_days', 'nominations_sent_at',
                   'nomination_closes_at', 'nomination_deadline', 'max_requests_per_rater',
                   'min_peers', 'nomination'):
        op.drop_column('campaign', column)  # in place: SQLite 3.35+ has DROP COLUMN
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

"""Development plans and progress pulses (issue 17, SPEC §12).

Revision ID: 5e2b8d1f0a17
Revises: 5d2e8b7f0a16
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '5e2b8d1f0a17'
down_revision = '5d2e8b7f0a16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pulse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='pulsestatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('min_raters', sa.Integer(), nullable=False),
    sa.Column('launched_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('min_raters >= 2', name=op.f('ck_pulse_pulse_min_raters_at_least_2')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_pulse_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse'))
    )
    with op.batch_alter_table('pulse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('development_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('focus', sa.JSON(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('share_with_manager', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_development_plan_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_plan')),
    sa.UniqueConstraint('subject_id', name=op.f('uq_development_plan_subject_id'))
    )
    op.create_table('pulse_rater',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pulse_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.Column('last_reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pulse_rater_person_id_person')),
    sa.ForeignKeyConstraint(['pulse_id'], ['pulse.id'], name=op.f('fk_pulse_rater_pulse_id_pulse'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_rater')),
    sa.UniqueConstraint('pulse_id', 'person_id', name=op.f('uq_pulse_rater_pulse_id_person_id'))
    )
    with op.batch_alter_table('pulse_rater', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_rater_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_rater_pulse_id'), ['pulse_id'], unique=False)

    op.create_table('pulse_link',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rater_id'], ['pulse_rater.id'], name=op.f('fk_pulse_link_rater_id_pulse_rater'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_pulse_link'))
    )
    with op.batch_alter_table('pulse_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_link_rater_id'), ['rater_id'], unique=False)

    op.create_table('pulse_subject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pulse_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('focus', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pulse_id'], ['pulse.id'], name=op.f('fk_pulse_subject_pulse_id_pulse'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_pulse_subject_subject_id_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_subject')),
    sa.UniqueConstraint('pulse_id', 'subject_id', name=op.f('uq_pulse_subject_pulse_id_subject_id'))
    )
    with op.batch_alter_table('pulse_subject', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_subject_pulse_id'), ['pulse_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_subject_subject_id'), ['subject_id'], unique=False)

    op.create_table('pulse_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pulse_subject_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'opened', 'submitted', 'declined', name='invitationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.ForeignKeyConstraint(['pulse_subject_id'], ['pulse_subject.id'], name=op.f('fk_pulse_invitation_pulse_subject_id_pulse_subject'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rater_id'], ['pulse_rater.id'], name=op.f('fk_pulse_invitation_rater_id_pulse_rater'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_invitation')),
    sa.UniqueConstraint('pulse_subject_id', 'rater_id', name=op.f('uq_pulse_invitation_pulse_subject_id_rater_id'))
    )
    with op.batch_alter_table('pulse_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_invitation_pulse_subject_id'), ['pulse_subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_invitation_rater_id'), ['rater_id'], unique=False)

    op.create_table('pulse_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('pulse_subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pulse_subject_id'], ['pulse_subject.id'], name=op.f('fk_pulse_response_pulse_subject_id_pulse_subject'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_response')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('pulse_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_response_pulse_subject_id'), ['pulse_subject_id'], unique=False)

    op.create_table('pulse_answer',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('focus', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.CheckConstraint('value IS NULL OR (value BETWEEN -2 AND 2)', name=op.f('ck_pulse_answer_pulse_value_on_scale')),
    sa.ForeignKeyConstraint(['response_id'], ['pulse_response.id'], name=op.f('fk_pulse_answer_response_id_pulse_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'focus', name=op.f('pk_pulse_answer')),
    sqlite_with_rowid=False
    )
    op.create_table('pulse_comment',
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['pulse_response.id'], name=op.f('fk_pulse_comment_response_id_pulse_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_pulse_comment')),
    sqlite_with_rowid=False
    )
    op.create_table('pulse_draft',
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['pulse_invitation.id'], name=op.f('fk_pulse_draft_invitation_id_pulse_invitation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_pulse_draft'))
    )
    op.create_table('pulse_receipt',
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['pulse_invitation.id'], name=op.f('fk_pulse_receipt_invitation_id_pulse_invitation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_pulse_receipt'))
    )


def downgrade():
    op.drop_table('pulse_receipt')
    op.drop_table('pulse_draft')
    op.drop_table('pulse_comment')
    op.drop_table('pulse_answer')
    with op.batch_alter_table('pulse_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_response_pulse_subject_id'))

    op.drop_table('pulse_response')
    with op.batch_alter_table('pulse_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_invitation_rater_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_invitation_pulse_subject_id'))

    op.drop_table('pulse_invitation')
    with op.batch_alter_table('pulse_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_link_rater_id'))

    op.drop_table('pulse_link')
    with op.batch_alter_table('pulse_subject', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_subject_subject_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_subject_pulse_id'))

    op.drop_table('pulse_subject')
    with op.batch_alter_table('pulse_rater', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_rater_pulse_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_rater_person_id'))

    op.drop_table('pulse_rater')
    op.drop_table('development_plan')
    with op.batch_alter_table('pulse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_campaign_id'))

    op.drop_table('pulse')

"""Earlier rater links: a reminder's fresh link no longer retires the one in the first e-mail.

Revision ID: 3c1f0a7e5b21
Revises: 7b3e2c1d9a40
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '3c1f0a7e5b21'
down_revision = '7b3e2c1d9a40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('earlier_link',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['rater_id'], ['rater.id'], name=op.f('fk_earlier_link_rater_id_rater'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_earlier_link'))
    )
    with op.batch_alter_table('earlier_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_earlier_link_rater_id'), ['rater_id'], unique=False)


def downgrade():
    with op.batch_alter_table('earlier_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_earlier_link_rater_id'))
    op.drop_table('earlier_link')

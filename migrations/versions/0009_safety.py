"""Safety (issue 20): session versions on accounts, the audit log, the retention date of a
campaign, and how many comments HR removed from a subject's report.

Revision ID: c4f1a9e2d7b3
Revises: a7c4e9b2d518
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f1a9e2d7b3'
down_revision = 'a7c4e9b2d518'
branch_labels = None
depends_on = None


def upgrade():
    # columns added and dropped in place (SQLite 3.35+ has DROP COLUMN): a batch copy of
    # campaign would lose the names of its constraints that earlier downgrades drop by name
    op.add_column(
        'user', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
    )
    op.add_column('campaign', sa.Column('delete_after', sa.DateTime(), nullable=True))
    op.add_column(
        'subject', sa.Column('comments_removed', sa.Integer(), server_default='0', nullable=False)
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('campaign_name', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    op.create_index(op.f('ix_audit_entry_at'), 'audit_entry', ['at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_audit_entry_at'), table_name='audit_entry')
    op.drop_table('audit_entry')
    op.drop_column('subject', 'comments_removed')
    op.drop_column('campaign', 'delete_after')
    op.drop_column('user', 'session_version')

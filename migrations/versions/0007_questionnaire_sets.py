"""Questionnaire sets: generated or adapted content saved in numbered versions, and the set a
campaign launches with (issue 21). Existing campaigns keep the built-in set (NULL).

Revision ID: 2f9c4e7a1b63
Revises: 8e4b6d2f1a37
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '2f9c4e7a1b63'
down_revision = 'c4a1e9d27b60'
branch_labels = None
depends_on = None

FK = 'fk_campaign_questionnaire_set_id_questionnaire_set'


def upgrade():
    op.create_table('questionnaire_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_set')),
    sa.UniqueConstraint('name', name=op.f('uq_questionnaire_set_name'))
    )
    op.create_table('questionnaire_set_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['questionnaire_set.id'], name=op.f('fk_questionnaire_set_version_set_id_questionnaire_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_set_version')),
    sa.UniqueConstraint('set_id', 'number', name=op.f('uq_questionnaire_set_version_set_id_number'))
    )
    with op.batch_alter_table('questionnaire_set_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_set_version_set_id'), ['set_id'], unique=False)

    # Not in batch mode: on SQLite that rebuilds `campaign`, and dropping the old table would
    # cascade to every subject, invitation and response. SQLite adds a column with its
    # reference in place.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            'ALTER TABLE campaign ADD COLUMN questionnaire_set_id INTEGER '
            f'CONSTRAINT {FK} REFERENCES questionnaire_set (id)'
        )
    else:
        op.add_column('campaign', sa.Column('questionnaire_set_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'campaign', 'questionnaire_set', ['questionnaire_set_id'], ['id'])
    op.add_column('campaign', sa.Column('questionnaire_version', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_campaign_questionnaire_set_id'), 'campaign', ['questionnaire_set_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_campaign_questionnaire_set_id'), table_name='campaign')
    if op.get_bind().dialect.name != 'sqlite':  # SQLite drops the reference with its column
        op.drop_constraint(FK, 'campaign', type_='foreignkey')
    op.drop_column('campaign', 'questionnaire_version')
    op.drop_column('campaign', 'questionnaire_set_id')

    with op.batch_alter_table('questionnaire_set_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_set_version_set_id'))
    op.drop_table('questionnaire_set_version')
    op.drop_table('questionnaire_set')

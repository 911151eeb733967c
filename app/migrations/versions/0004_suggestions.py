"""suggestions accepted or dismissed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Cross-module warnings (a new dispute or case naming a key person, repeated 110 calls by the same
parties) are suggestions; the officer's decision is kept so it is recorded and not asked again.

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('module', sa.String(length=8), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('other_module', sa.String(length=8), nullable=True),
    sa.Column('other_record_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('key_person', 'repeat_110')", name=op.f('ck_suggestion_kind')),
    sa.CheckConstraint("module IN ('case', 'dispute')", name=op.f('ck_suggestion_module')),
    sa.CheckConstraint("decision IN ('accepted', 'dismissed')", name=op.f('ck_suggestion_decision')),
    sa.CheckConstraint("other_module IS NULL OR other_module IN ('case', 'dispute', 'person')",
                       name=op.f('ck_suggestion_other_module')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_suggestion_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion')),
    sa.UniqueConstraint('uuid', name=op.f('uq_suggestion_uuid'))
    )
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.create_index('ix_suggestion_record', ['module', 'record_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index('ix_suggestion_record')
    op.drop_table('suggestion')

"""document events (RADIAN 030-034) with their signed XML

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documentevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('event_key', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('sender_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('xml', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['salesdocument.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'code'),
    )
    with op.batch_alter_table('documentevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documentevent_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documentevent_event_key'), ['event_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_documentevent_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('documentevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documentevent_organization_id'))
        batch_op.drop_index(batch_op.f('ix_documentevent_event_key'))
        batch_op.drop_index(batch_op.f('ix_documentevent_document_id'))
    op.drop_table('documentevent')

"""The buyer's RADIAN events about received invoices, and the automatic acuse de recibo.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 22:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('purchaseevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('claim_reason', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False, server_default=''),
    sa.Column('person', sa.Text(), nullable=False, server_default=''),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False, server_default=''),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default='pending'),
    sa.Column('attempt', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('cude', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False, server_default=''),
    sa.Column('dian_message', sa.Text(), nullable=False, server_default=''),
    sa.Column('xml', sa.LargeBinary(), nullable=True),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_for', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['receivedinvoice.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invoice_id', 'code', name='uq_purchaseevent_invoice_code')
    )
    with op.batch_alter_table('purchaseevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchaseevent_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index('ix_purchaseevent_org_state', ['organization_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchaseevent_organization_id'), ['organization_id'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_acknowledge', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('receiver_person', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('receiver_person')
        batch_op.drop_column('auto_acknowledge')

    with op.batch_alter_table('purchaseevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchaseevent_organization_id'))
        batch_op.drop_index('ix_purchaseevent_org_state')
        batch_op.drop_index(batch_op.f('ix_purchaseevent_invoice_id'))

    op.drop_table('purchaseevent')

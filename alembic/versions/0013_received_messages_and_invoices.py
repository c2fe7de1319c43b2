"""Received messages (kept raw as evidence) and the suppliers' invoices registered from them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:36:01.679025
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('receivedmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False, server_default=''),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False, server_default='[]'),
    sa.Column('notes', sa.Text(), nullable=False, server_default='[]'),
    sa.Column('document_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default=''),
    sa.Column('supplier_name', sqlmodel.sql.sqltypes.AutoString(length=450), nullable=False, server_default=''),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('receivedmessage', schema=None) as batch_op:
        batch_op.create_index('ix_receivedmessage_org_outcome', ['organization_id', 'outcome', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_receivedmessage_organization_id'), ['organization_id'], unique=False)

    op.create_table('receivedinvoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('supplier_customer_id', sa.Integer(), nullable=True),
    sa.Column('supplier_nit', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('supplier_dv', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False, server_default=''),
    sa.Column('supplier_name', sqlmodel.sql.sqltypes.AutoString(length=450), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default=''),
    sa.Column('type_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('cufe', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('environment', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False, server_default='1'),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False, server_default='COP'),
    sa.Column('line_extension', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_exclusive', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_inclusive', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('allowances', sa.Numeric(precision=18, scale=2), nullable=False, server_default='0'),
    sa.Column('charges', sa.Numeric(precision=18, scale=2), nullable=False, server_default='0'),
    sa.Column('prepaid', sa.Numeric(precision=18, scale=2), nullable=False, server_default='0'),
    sa.Column('payable', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_total', sa.Numeric(precision=18, scale=2), nullable=False, server_default='0'),
    sa.Column('taxes', sa.Text(), nullable=False, server_default='{}'),
    sa.Column('withholdings', sa.Text(), nullable=False, server_default='{}'),
    sa.Column('lines', sa.Text(), nullable=False, server_default='[]'),
    sa.Column('document_xml', sa.LargeBinary(), nullable=False),
    sa.Column('response_xml', sa.LargeBinary(), nullable=True),
    sa.Column('container_xml', sa.LargeBinary(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default='validada'),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['receivedmessage.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['supplier_customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('organization_id', 'cufe', name='uq_receivedinvoice_org_cufe')
    )
    with op.batch_alter_table('receivedinvoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receivedinvoice_message_id'), ['message_id'], unique=False)
        batch_op.create_index('ix_receivedinvoice_org_issued', ['organization_id', 'issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_receivedinvoice_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receivedinvoice_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_receivedinvoice_supplier_customer_id'), ['supplier_customer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('receivedinvoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receivedinvoice_supplier_customer_id'))
        batch_op.drop_index(batch_op.f('ix_receivedinvoice_status'))
        batch_op.drop_index(batch_op.f('ix_receivedinvoice_organization_id'))
        batch_op.drop_index('ix_receivedinvoice_org_issued')
        batch_op.drop_index(batch_op.f('ix_receivedinvoice_message_id'))

    op.drop_table('receivedinvoice')
    with op.batch_alter_table('receivedmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receivedmessage_organization_id'))
        batch_op.drop_index('ix_receivedmessage_org_outcome')

    op.drop_table('receivedmessage')

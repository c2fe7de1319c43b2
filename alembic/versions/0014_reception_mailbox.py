"""The reception mailbox of each organization and the key of each received mail.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 22:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('receptionmailbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False, server_default=''),
    sa.Column('port', sa.Integer(), nullable=False, server_default='993'),
    sa.Column('tls', sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False, server_default=''),
    sa.Column('password_sealed', sa.Text(), nullable=False, server_default=''),
    sa.Column('last_polled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=''),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('receptionmailbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receptionmailbox_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_receptionmailbox_organization_id'), ['organization_id'], unique=True)

    with op.batch_alter_table('receivedmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True))
        batch_op.create_unique_constraint('uq_receivedmessage_org_mail_key', ['organization_id', 'mail_key'])


def downgrade() -> None:
    with op.batch_alter_table('receivedmessage', schema=None) as batch_op:
        batch_op.drop_constraint('uq_receivedmessage_org_mail_key', type_='unique')
        batch_op.drop_column('mail_key')

    with op.batch_alter_table('receptionmailbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receptionmailbox_organization_id'))
        batch_op.drop_index(batch_op.f('ix_receptionmailbox_address'))

    op.drop_table('receptionmailbox')

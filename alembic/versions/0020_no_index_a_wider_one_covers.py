"""no index on a column that a wider index or unique constraint already begins with

A B-tree index on (a, b) serves every lookup by a alone, so an index on a by itself only
costs a write on every INSERT and tempts PostgreSQL's generic plans (prepared statements)
into reading all of a tenant's rows through it (as 0019 found for the PMS intake). The
foreign keys' cascades use the wider index too.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 23:50:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → the single-column indexes a wider one covers
COVERED = {
    'item': ['organization_id'],
    'ledgermovement': ['organization_id'],
    'numbering': ['organization_id'],
    'paymentmethod': ['organization_id'],
    'receivedmessage': ['organization_id'],
    'cashregister': ['organization_id'],
    'receivedinvoice': ['organization_id'],
    'salesdocument': ['organization_id'],
    'documentevent': ['document_id'],
    'maildelivery': ['document_id'],
    'purchaseevent': ['invoice_id', 'organization_id'],
}


def upgrade() -> None:
    for table, columns in COVERED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_index(f'ix_{table}_{column}')


def downgrade() -> None:
    for table, columns in COVERED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.create_index(f'ix_{table}_{column}', [column])

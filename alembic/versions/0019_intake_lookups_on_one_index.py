"""the PMS intake's lookups each have one index that fits them

An index on a unique constraint's first column alone is redundant, and it let PostgreSQL's
generic plans pick it: the lookup then read every row of the organization (or connection),
slower as the data grew. A document's intake is found by (connection, PMS id, kind) and a
guest by (organization, identification type, number): their unique constraints' indexes.
A customer's addresses are read by (organization, customer): one index on both instead of
one on each, and the unique (customer, email) serves the cascade deletes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 16:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pmsintake') as batch:
        batch.drop_index('ix_pmsintake_connection_id')
    with op.batch_alter_table('customer') as batch:
        batch.drop_index('ix_customer_organization_id')
    with op.batch_alter_table('customeremail') as batch:
        batch.drop_index('ix_customeremail_customer_id')
        batch.drop_index('ix_customeremail_organization_id')
        batch.create_index('ix_customeremail_org_customer', ['organization_id', 'customer_id'])


def downgrade() -> None:
    with op.batch_alter_table('customeremail') as batch:
        batch.drop_index('ix_customeremail_org_customer')
        batch.create_index('ix_customeremail_organization_id', ['organization_id'])
        batch.create_index('ix_customeremail_customer_id', ['customer_id'])
    with op.batch_alter_table('customer') as batch:
        batch.create_index('ix_customer_organization_id', ['organization_id'])
    with op.batch_alter_table('pmsintake') as batch:
        batch.create_index('ix_pmsintake_connection_id', ['connection_id'])

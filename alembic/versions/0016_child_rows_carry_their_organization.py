"""issue attempts, test-set items and PMS notice attempts carry their organization

Every tenant row names its organization, so a database distributed by organization keeps a
document's rows together and every query can say whose rows it reads.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 08:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# child table → (its parent table, the column naming the parent)
CHILDREN = {
    'issueattempt': ('salesdocument', 'document_id'),
    'testsetitem': ('testsetrun', 'run_id'),
    'pmsnoticeattempt': ('pmsnotice', 'notice_id'),
}


def upgrade() -> None:
    for child, (parent, parent_key) in CHILDREN.items():
        with op.batch_alter_table(child) as batch:
            batch.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        op.execute(f"UPDATE {child} SET organization_id = (SELECT {parent}.organization_id "
                   f"FROM {parent} WHERE {parent}.id = {child}.{parent_key})")
        with op.batch_alter_table(child) as batch:
            batch.alter_column('organization_id', existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f'fk_{child}_organization', 'organization',
                                     ['organization_id'], ['id'])
            batch.create_index(f'ix_{child}_organization_id', ['organization_id'],
                               unique=False)


def downgrade() -> None:
    for child in CHILDREN:
        with op.batch_alter_table(child) as batch:
            batch.drop_index(f'ix_{child}_organization_id')
            batch.drop_constraint(f'fk_{child}_organization', type_='foreignkey')
            batch.drop_column('organization_id')

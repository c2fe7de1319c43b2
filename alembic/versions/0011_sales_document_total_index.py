"""sales documents sorted by total within an organization

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('salesdocument') as batch:
        batch.create_index('ix_salesdocument_org_total', ['organization_id', 'total'],
                           unique=False)


def downgrade() -> None:
    with op.batch_alter_table('salesdocument') as batch:
        batch.drop_index('ix_salesdocument_org_total')

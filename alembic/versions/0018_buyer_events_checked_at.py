"""when DIAN was last asked for an invoice's buyer events

The periodic check asks about fresh invoices at every run and about older ones less and
less often; it needs to know when each was last asked.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 14:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('salesdocument') as batch:
        batch.add_column(sa.Column('events_checked_at', sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('salesdocument') as batch:
        batch.drop_column('events_checked_at')

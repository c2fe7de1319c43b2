"""customers abroad: country and city name

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing customers are Colombian: CO, and their city comes from the municipality
    with op.batch_alter_table('customer') as batch:
        batch.add_column(sa.Column('country_code', sqlmodel.sql.sqltypes.AutoString(length=2),
                                   nullable=False, server_default='CO'))
        batch.add_column(sa.Column('city_name', sqlmodel.sql.sqltypes.AutoString(length=100),
                                   nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('customer') as batch:
        batch.drop_column('city_name')
        batch.drop_column('country_code')

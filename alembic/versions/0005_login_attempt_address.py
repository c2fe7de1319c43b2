"""login attempts remember the client address

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 12:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('loginattempt') as batch:
        batch.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64),
                                   nullable=False, server_default=''))
        batch.create_index('ix_loginattempt_address', ['address'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('loginattempt') as batch:
        batch.drop_index('ix_loginattempt_address')
        batch.drop_column('address')

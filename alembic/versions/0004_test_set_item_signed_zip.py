"""test set items keep the signed zip they sent

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 12:50:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('testsetitem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zip_name', sqlmodel.sql.sqltypes.AutoString(length=120),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signed_zip', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('testsetitem', schema=None) as batch_op:
        batch_op.drop_column('signed_zip')
        batch_op.drop_column('zip_name')

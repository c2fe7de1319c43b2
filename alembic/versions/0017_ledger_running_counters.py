"""the ledger's running counters and the indexes its decisions read

A decision about one document reads the subscription's counters (purchased left, units
held), this period's plan use and that document's own movements, instead of every
movement of the organization. The counters start from what the existing movements say.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Purchased left: credits less pack consumptions and forfeits (never below zero).
PURCHASED = """
UPDATE subscription SET purchased = (
  SELECT CASE WHEN total < 0 THEN 0 ELSE total END FROM (
    SELECT COALESCE(SUM(CASE WHEN kind = 'pack_credit' THEN quantity
                             WHEN kind = 'pack_consume' THEN -1
                             WHEN kind = 'purchased_forfeit' THEN -quantity
                             ELSE 0 END), 0) AS total
    FROM ledgermovement WHERE ledgermovement.organization_id = subscription.organization_id
  ) AS movements)
"""
# Held: documents whose reservations outnumber their releases and that were not counted
# (a document is reserved again only after a release, so the two alternate).
HELD = """
UPDATE subscription SET held = (
  SELECT COUNT(*) FROM (
    SELECT document_key FROM ledgermovement
    WHERE ledgermovement.organization_id = subscription.organization_id
      AND document_key IS NOT NULL
    GROUP BY document_key
    HAVING SUM(CASE WHEN kind = 'reserve' THEN 1 WHEN kind = 'release' THEN -1 ELSE 0 END) > 0
       AND SUM(CASE WHEN kind IN ('plan_consume', 'pack_consume') THEN 1 ELSE 0 END) = 0
  ) AS open_holds)
"""


def upgrade() -> None:
    with op.batch_alter_table('subscription') as batch:
        batch.add_column(sa.Column('purchased', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('held', sa.Integer(), nullable=False, server_default='0'))
    op.execute(PURCHASED)
    op.execute(HELD)
    with op.batch_alter_table('subscription') as batch:
        batch.alter_column('purchased', server_default=None, existing_type=sa.Integer())
        batch.alter_column('held', server_default=None, existing_type=sa.Integer())
    op.create_index('ix_ledger_document', 'ledgermovement', ['organization_id', 'document_key'])
    op.create_index('ix_ledger_kind_at', 'ledgermovement', ['organization_id', 'kind', 'at'])


def downgrade() -> None:
    op.drop_index('ix_ledger_kind_at', table_name='ledgermovement')
    op.drop_index('ix_ledger_document', table_name='ledgermovement')
    with op.batch_alter_table('subscription') as batch:
        batch.drop_column('held')
        batch.drop_column('purchased')

"""Items (*productos y servicios*) of an organization."""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, col

from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.core.item_rules import ItemData
from loggro_app.models import Item
from loggro_app.services.owned import get_owned, save_owned
from loggro_app.services.paging import Page, search_page
from loggro_app.services.references import ensure_unreferenced
from loggro_app.services.scope import Scope

NOT_FOUND = "El producto no existe o no pertenece a tu organización."


def list_items(*, session: Session, scope: Scope, search: str = "", page: int = 1,
               page_size: int = 10) -> Page[Item]:
    return search_page(
        session=session, model=Item, organization_id=scope.organization_id, search=search,
        fields=[Item.name, Item.code], order_by=col(Item.name), page=page,
        page_size=page_size,
    )


def get_item(*, session: Session, scope: Scope, item_id: int) -> Item:
    return get_owned(session, Item, scope, item_id, NOT_FOUND)


def save_item(*, session: Session, scope: Scope, data: ItemData, item_id: int | None = None,
              clock: Clock = system_clock) -> Item:
    if item_id is None:
        row = Item(organization_id=scope.organization_id, created_at=to_utc(clock()),
                   **asdict(data))
    else:
        row = get_item(session=session, scope=scope, item_id=item_id)
    return save_owned(session, row, asdict(data), duplicate_field="code",
                      duplicate_message=f"Ya existe un producto con el código {data.code}.")


def delete_item(*, session: Session, scope: Scope, item_id: int) -> None:
    row = get_item(session=session, scope=scope, item_id=item_id)
    ensure_unreferenced(session, row, f"el producto {row.name}")
    session.delete(row)
    session.commit()

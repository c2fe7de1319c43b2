"""Search + pagination shared by the list pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

T = TypeVar("T")
MAX_SEARCH = 100  # characters of a search that are used


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def search_page(
    *, session: Session, model: Any, organization_id: int, search: str, fields: list[Any],
    order_by: Any, page: int, page_size: int,
) -> Page[Any]:
    """Rows of `model` in one organization whose `fields` contain `search`, one page of them."""
    query = select(model).where(model.organization_id == organization_id)
    text = (search or "").strip()[:MAX_SEARCH]
    if text:
        # '%' and '_' typed by a person are literal characters, not LIKE wildcards.
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(or_(*(col(f).ilike(pattern, escape="\\") for f in fields)))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page = max(1, page)
    rows = list(session.exec(
        query.order_by(order_by).offset((page - 1) * page_size).limit(page_size)
    ).all())
    return Page(rows=rows, total=total, page=page, page_size=page_size)


def like_pattern(text: str) -> str:
    """A LIKE pattern (escape character `\\`) matching the text anywhere, its wildcards
    taken literally: a search for "50%" finds "50%", not every "50"."""
    escaped = text.strip()[:MAX_SEARCH].replace("\\", "\\\\").replace("%", "\\%") \
        .replace("_", "\\_")
    return f"%{escaped}%"

"""`xmlns.filled_block`: a block copied from its shape's template, texts filled in, gives the
bytes building it anew gives; a build that does not write its texts as whole element texts
is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from lxml import etree

from loggro_app.dian.xmlns import cac, cbc, filled_block, new_root


def _total(parent: etree._Element, texts: Iterator[str]) -> None:
    node = cac(parent, "TaxTotal")
    cbc(node, "TaxAmount", next(texts), currencyID="COP")
    cbc(cac(node, "TaxSubtotal"), "Percent", next(texts))
    cbc(node, "Note", next(texts))


def _built(texts: list[str]) -> bytes:
    root = new_root("Invoice")
    _total(root, iter(texts))
    return etree.tostring(root, encoding="UTF-8")


def _filled(shape: object, texts: list[str]) -> bytes:
    root = new_root("Invoice")
    filled_block(root, shape, _total, texts)
    return etree.tostring(root, encoding="UTF-8")


@pytest.mark.parametrize(
    "texts",
    [["10.00", "19.00", "a"], ["0.00", "5.00", "x < y & z"], ["7", "7", "7"], ["", "ñ", "日本"]],
)
def test_filled_block_equals_building_anew(texts: list[str]) -> None:
    shape = ("test-total",)
    _filled(shape, ["1", "2", "3"])  # the template, made with other texts
    assert _filled(shape, texts) == _built(texts)


def _into_attribute(parent: etree._Element, texts: Iterator[str]) -> None:
    cbc(parent, "ID", "1", schemeID=next(texts))


def _part_of_a_text(parent: etree._Element, texts: Iterator[str]) -> None:
    cbc(parent, "ID", "N-" + next(texts))


def _twice(parent: etree._Element, texts: Iterator[str]) -> None:
    text = next(texts)
    cbc(parent, "ID", text)
    cbc(parent, "UUID", text)


def _fewer(parent: etree._Element, texts: Iterator[str]) -> None:
    cbc(parent, "ID", next(texts))


Build = Callable[[etree._Element, Iterator[str]], None]


@pytest.mark.parametrize(
    ("build", "texts"),
    [(_into_attribute, ["1"]), (_part_of_a_text, ["1"]), (_twice, ["1"]), (_fewer, ["1", "2"])],
)
def test_builds_that_do_not_write_whole_texts_are_refused(build: Build, texts: list[str]) -> None:
    with pytest.raises(ValueError):
        filled_block(new_root("Invoice"), ("refused", build), build, texts)

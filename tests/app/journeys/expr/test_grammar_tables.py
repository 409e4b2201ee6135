"""The expression parser's tables made beforehand (tools/lark_tables.py): made from this grammar with
this lark, and a parser loaded from them reads every text as one built from the grammar does."""
from __future__ import annotations

from typing import Any

import pytest
from lark import Lark
from lark.exceptions import UnexpectedInput

from app.journeys.expr import parser
from app.journeys.expr.parser import LARK_OPTIONS, grammar_text

TEXTS = [
    "1 + 2 * 3", '@event{purchase.value} > 100 and not inAudience("VIP")', "#{person.name.firstName}",
    'if (@event{a.b} == null) then ("x") else (toUpper("y"))', "@action{writeEvent.status} in [200, 201]",
    "[1, 2.5, -3]", "@event{a.items}.{price}", "currentEventField", "1 +", "(1", '@event{a.b} = 1', "1 && 2",
    "@{x}", "#{", "1 2", "", '"unterminated', "defaultValue(@event{a.b}, 0) % 7",
]


def outcome(lark: Lark, text: str) -> Any:
    """The tree and every node's position, or the error: its kind, place, token and what was expected
    (a set: lark lists it in no set order)."""
    try:
        tree = lark.parse(text)
    except UnexpectedInput as exc:
        return (type(exc).__name__, exc.line, exc.column, str(getattr(exc, "token", "")),
                sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()))
    return tree, [(t.meta.line, t.meta.column, t.meta.end_pos) for t in tree.iter_subtrees() if not t.meta.empty]


def test_the_tables_were_made_from_this_grammar_with_this_lark() -> None:
    assert parser.tables_fit(grammar_text()), "the grammar or lark changed: run python -m tools.lark_tables"


@pytest.fixture(scope="module")
def built() -> Lark:
    """The parser built from the grammar, once (building it is what the tables save, ~40 ms; a
    parse keeps no state in the Lark object)."""
    return Lark(grammar_text(), **LARK_OPTIONS)


@pytest.mark.parametrize("text", TEXTS)
def test_the_parser_from_the_tables_reads_as_one_built_from_the_grammar(built: Lark, text: str) -> None:
    assert outcome(parser._lark(), text) == outcome(built, text)

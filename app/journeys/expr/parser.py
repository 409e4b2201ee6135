"""parse(): text to an Expr, once per distinct text; lark's errors turned into ExprError with the line,
column, the expected tokens in words and a caret excerpt."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any, Optional

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from app.journeys.expr.build import Builder, check_integers
from app.journeys.expr.errors import ExprError, Span
from app.journeys.expr.expression import Expr
from app.journeys.expr.nodes import Node

MAX_DEPTH = 100  # real mappings nest a few levels; this keeps evaluation far from Python's recursion limit

# Terminal names in words, for "expected ..." lists.
WORDS = {
    "OR": "or", "AND": "and", "NOT": "not", "IS": "is", "HAS": "has", "NULL": "null", "NUMERIC": "numeric",
    "INTEGER_KW": "integer", "DECIMAL_KW": "decimal", "TRUE": "true", "FALSE": "false", "IF": "if",
    "THEN": "then", "ELSE": "else", "DEFAULT": "defaultValue", "CURRENT": "currentEventField",
    "REF_OPEN": "a field reference (@event{...}, #{...}, @action{...})", "NAME": "a function name",
    "SEGMENT": "a field name", "DECIMAL_NUM": "a number", "INT_NUM": "a number", "STRING": "a string",
    "COMP_OP": "a comparison (== != < <= > >=)", "PLUS": "+", "MINUS": "-", "STAR": "*", "SLASH": "/",
    "PERCENT": "%", "LPAR": "(", "RPAR": ")", "LSQB": "[", "RSQB": "]", "RBRACE": "}", "COMMA": ",",
    "DOT": ".", "COLON": ":", "$END": "the end of the expression",
}
# Things people type from other languages, and what the platform writes instead.
HINTS = {"=": "compare with ==", "&": "write and", "|": "write or", "!": "write not, or != to compare",
         "$": "references are written @event{...}, #{...} or @action{...}", "{": "references start with @event{ or #{"}


LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True,
                                "maybe_placeholders": True}


def grammar_text() -> str:
    return files("app.journeys.expr").joinpath("grammar.lark").read_text("utf-8")


@lru_cache(maxsize=1)
def _lark() -> Lark:
    """The parser: from the tables made beforehand (tools/lark_tables.py) while they were made from
    this grammar with this lark, else built from the grammar (~60 ms of CPU, once per process)."""
    grammar = grammar_text()
    if tables_fit(grammar):
        from app.journeys.expr import grammar_tables as tables

        # lark's standalone parsers load with this (lark checks nothing: tables_fit did)
        return Lark._load_from_dict(tables.DATA, tables.MEMO)  # type: ignore[no-untyped-call]
    return Lark(grammar, **LARK_OPTIONS)


def tables_fit(grammar: str) -> bool:
    import hashlib

    from lark import __version__ as lark_version

    from app.journeys.expr import grammar_tables as tables

    return tables.LARK_VERSION == lark_version and tables.GRAMMAR_SHA256 == hashlib.sha256(grammar.encode()).hexdigest()


@lru_cache(maxsize=8192)
def parse(text: str) -> Expr:
    """The expression in text, or ExprError (never any other exception). Cached by text."""
    if not isinstance(text, str):
        raise TypeError("parse() takes the expression's text")
    if not text.strip():
        raise ExprError("the expression is empty", text, (0, len(text)), ["an expression"])
    try:
        tree = _lark().parse(text)
        root = Builder(text).build(tree)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except LarkError as exc:  # lark's other failures are ours to report with a position too
        raise ExprError(f"cannot read the expression ({exc})", text, (0, len(text))) from None
    except RecursionError:
        raise ExprError("the expression is nested too deeply", text, (0, len(text))) from None
    if depth(root) > MAX_DEPTH:
        raise ExprError(f"the expression is nested too deeply (more than {MAX_DEPTH} levels)", text, (0, len(text)))
    overflow = check_integers(root, text)
    if overflow:
        raise overflow
    return Expr(text, root)


def depth(root: Node) -> int:
    """How deeply the nodes nest (evaluation recurses once per level)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node.children())
    return deepest


def _syntax_error(text: str, exc: UnexpectedInput) -> ExprError:
    expected = _expected(exc)
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0  # always set for a character the lexer refused
        char = text[at]
        hint = HINTS.get(char)
        if char in "=&|" and text[at:at + 2] in ("&&", "||"):
            hint = HINTS[char]
        message = f"unexpected character {char!r}" + (f": {hint}" if hint else "")
        return ExprError(message, text, (at, at + 1), expected)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return ExprError("the expression ends too early", text, (len(text), len(text)), expected)
    token: Token = exc.token  # type: ignore[attr-defined]
    span: Span = (token.start_pos or 0, token.end_pos or (token.start_pos or 0) + len(token))
    return ExprError(f"unexpected {_describe(token)}{_hint(exc, token)}", text, span, expected)


def _expected(exc: UnexpectedInput) -> list[str]:
    names = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()
    words = {WORDS.get(n, n.lower()) for n in names}
    return sorted(words, key=lambda w: (not w[0].isalpha(), w))


def _describe(token: Token) -> str:
    value = str(token)
    return f"{value!r}" if len(value) <= 30 else f"{value[:27]!r}..."


def _hint(exc: UnexpectedInput, token: Token) -> str:
    expected = set(getattr(exc, "expected", ()) or ())
    prev: Optional[Token] = getattr(exc, "token_history", None) and exc.token_history[-1]  # type: ignore[attr-defined]
    if expected == {"LPAR"} and prev is not None and prev.type in ("IF", "THEN", "ELSE"):
        return ": the platform writes if (condition) then (value) else (value), parentheses required"
    if expected == {"LPAR"} and prev is not None and prev.type == "NAME":
        return f": {prev} is not a keyword; a function call needs parentheses"
    if token.type in ("NAME", "SEGMENT") and str(token).lower() in ("and", "or", "not"):
        return f": write {str(token).lower()}"
    return ""

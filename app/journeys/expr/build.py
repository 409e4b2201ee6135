"""From lark's parse tree to our nodes: literals decoded, references split into root and path, function
names and argument counts checked (an unknown function names the platform's one)."""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from lark import Token, Tree

from app.journeys.expr.errors import ExprError, Span
from app.journeys.expr.functions import FUNCTIONS, unknown_function_message
from app.journeys.expr.nodes import Binary, Call, If, ListLit, Lit, Node, Ref, RefNode, Step, Test, Unary
from app.journeys.expr.types import INT_MAX

REF_KINDS = {"@event{": "event", "@action{": "action", "#{": "profile", "@journey{": "journey", "@{": "legacy"}
# Collection functions inside a reference: name -> (least, most) arguments.
METHODS = {"all": (0, 1), "first": (0, 1), "last": (0, 1), "at": (1, 1), "entry": (1, 1), "keys": (0, 0)}
ParseTree = Tree[Token]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"', "'": "'"}


class Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.rules: dict[str, Callable[[ParseTree], Node]] = {
            "integer": self.integer, "decimal": self.decimal, "string": self.string, "boolean": self.boolean,
            "listlit": self.listlit, "ref": self.ref, "current": self.current, "call": self.call,
            "ifexpr": self.ifexpr, "paren": self.paren, "binop": self.binop, "unop": self.unop, "test": self.test,
        }

    def build(self, tree: ParseTree) -> Node:
        return self.rules[tree.data](tree)

    def fail(self, message: str, span: Span) -> ExprError:
        return ExprError(message, self.text, span)

    # literals
    def integer(self, tree: ParseTree) -> Node:
        token = _token(tree.children[0])
        value = int(token.value)
        if value > INT_MAX + 1:  # INT_MAX + 1 is allowed only after a minus (checked in unop / parse)
            raise self.fail(f"{token.value} is out of the integer range (64 bits)", _tspan(token))
        return Lit(_tspan(token), value)

    def decimal(self, tree: ParseTree) -> Node:
        token = _token(tree.children[0])
        return Lit(_tspan(token), float(token.value))

    def string(self, tree: ParseTree) -> Node:
        token = _token(tree.children[0])
        return Lit(_tspan(token), self.unquote(token))

    def boolean(self, tree: ParseTree) -> Node:
        token = _token(tree.children[0])
        return Lit(_tspan(token), token.value.lower() == "true")

    def listlit(self, tree: ParseTree) -> Node:
        return ListLit(_span(tree), self.exprs(tree.children))

    def unquote(self, token: Token) -> str:
        body, start = token.value[1:-1], (token.start_pos or 0) + 1

        def escape(match: re.Match[str]) -> str:
            code = match.group(1)
            if code in _ESCAPES:
                return _ESCAPES[code]
            if code.startswith("u") and re.fullmatch(r"u[0-9a-fA-F]{4}", code):
                return chr(int(code[1:], 16))
            at = start + match.start()
            raise self.fail(f"unknown escape \\{code[:1]} in a string (write \\\\ for a backslash)", (at, at + 2))
        return re.sub(r"\\(u[0-9a-fA-F]{0,4}|.)", escape, body)

    # references
    def ref(self, tree: ParseTree) -> Node:
        opener, path_tree, *rest = tree.children
        opener = _token(opener)
        kind = REF_KINDS.get(opener.value)
        if kind is None:
            raise self.fail(f"unknown reference {opener.value}...}}: write @event{{...}}, @action{{...}}, "
                            "#{ExperiencePlatform...} or @journey{...}", _tspan(opener))
        steps = self.steps(_tree(path_tree))
        default = next((self.build(c) for c in rest if isinstance(c, Tree)), None)
        name, source, path_steps = self.root(kind, steps, _span(tree))
        fields = tuple(s.name for s in path_steps if not s.is_method)
        if kind == "profile" and fields[:1] == ("profile",):
            fields, path_steps = fields[1:], path_steps[1:]
        ref = Ref(kind, name, fields, _span(tree), default is not None, source)  # type: ignore[arg-type]
        return RefNode(_span(tree), ref, path_steps, default)

    def root(self, kind: str, steps: list[Step], span: Span) -> tuple[str, str, list[Step]]:
        """The reference's root (event, action, field group...) and the steps after it."""
        need = 2 if kind == "profile" else 1
        if len(steps) < need or any(s.is_method for s in steps[:need]):
            shape = {"profile": "#{ExperiencePlatform.<FieldGroup>.profile.<path>}",
                     "journey": "@journey{<property>}", "action": "@action{<Action>.<path>}"}
            raise self.fail("a reference starts with a name: "
                            + shape.get(kind, "@event{<Event>.<path>}"), span)
        if kind == "profile":
            return steps[1].name, steps[0].name, steps[2:]
        return steps[0].name, "", steps[1:]

    def current(self, tree: ParseTree) -> Node:
        first, *rest = tree.children
        token = _token(first)
        steps = [self.step(c) for c in rest if isinstance(c, Tree)]
        fields = tuple(s.name for s in steps if not s.is_method)
        return RefNode(_span(tree), Ref("current", token.value, fields, _span(tree), False), steps)

    def steps(self, path: ParseTree) -> list[Step]:
        return [self.step(c) for c in path.children if isinstance(c, Tree)]

    def step(self, tree: ParseTree) -> Step:
        token = _token(tree.children[0])
        if tree.data == "field":
            name = self.unquote(token) if token.type == "STRING" else token.value
            return Step(name, _tspan(token))
        args = self.exprs(tree.children[1:])
        least, most = METHODS.get(token.value, (-1, -1))
        if least < 0:
            raise self.fail(f"unknown collection function .{token.value}(): use "
                            + ", ".join(f".{m}()" for m in METHODS), _tspan(token))
        if not least <= len(args) <= most:
            raise self.fail(f".{token.value}() takes {least if least == most else f'{least} or {most}'} "
                            f"argument{'s' * (most != 1)}, got {len(args)}", _span(tree))
        return Step(token.value, _span(tree), args)

    # calls and control
    def call(self, tree: ParseTree) -> Node:
        name = _token(tree.children[0])
        args = self.exprs(tree.children[1:])
        fn = FUNCTIONS.get(name.value)
        if fn is None:
            raise self.fail(unknown_function_message(name.value), _tspan(name))
        if len(args) < fn.min_args or (fn.max_args >= 0 and len(args) > fn.max_args):
            raise self.fail(f"{fn.name} takes {fn.arity_text()}, got {len(args)}", _span(tree))
        return Call(_span(tree), name.value, _tspan(name), args)

    def ifexpr(self, tree: ParseTree) -> Node:
        words = [(t.value, _tspan(t)) for t in tree.children
                 if isinstance(t, Token) and t.type in ("IF", "THEN", "ELSE")]
        cond, then, other = self.exprs(tree.children)
        return If(_span(tree), cond, then, other, words)

    def paren(self, tree: ParseTree) -> Node:
        node = self.exprs(tree.children)[0]
        node.paren = True
        return node

    def binop(self, tree: ParseTree) -> Node:
        left, operator, right = tree.children
        op = _token(operator)
        return Binary(_span(tree), op.value.lower(), op.value, _tspan(op),
                      self.build(_tree(left)), self.build(_tree(right)))

    def unop(self, tree: ParseTree) -> Node:
        operator, operand = tree.children
        op = _token(operator)
        node = self.build(_tree(operand))
        if op.value == "-" and isinstance(node, Lit) and type(node.value) in (int, float) and not node.paren:
            # A negative literal, so -9223372036854775808 fits.
            return Lit((op.start_pos or 0, node.span[1]), -node.value)
        return Unary(_span(tree), op.value.lower(), op.value, node)

    def test(self, tree: ParseTree) -> Node:
        operand, *tokens = tree.children
        words = [(t.value, _tspan(t)) for t in map(_token, tokens)]
        return Test(_span(tree), " ".join(w.lower() for w, _ in words), words, self.build(_tree(operand)))

    def exprs(self, children: list[Any]) -> list[Node]:
        """The expressions among children (tokens and empty optional slots left out)."""
        return [self.build(c) for c in children if isinstance(c, Tree)]


def _span(tree: ParseTree) -> Span:
    return (tree.meta.start_pos, tree.meta.end_pos)


def _token(child: "Token | ParseTree") -> Token:
    """A child the grammar makes a token (lark types children as token or tree)."""
    assert isinstance(child, Token), child
    return child


def _tree(child: "Token | ParseTree") -> ParseTree:
    assert isinstance(child, Tree), child
    return child


def _tspan(token: Token) -> Span:
    return (token.start_pos or 0, token.end_pos or 0)


def check_integers(root: Node, text: str) -> Optional[ExprError]:
    """An integer literal past the 64-bit range (allowed above only as the operand of a minus)."""
    for node in root.walk():
        if isinstance(node, Lit) and type(node.value) is int and node.value > INT_MAX:
            return ExprError(f"{node.value} is out of the integer range (64 bits)", text, node.span)
    return None

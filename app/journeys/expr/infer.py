"""Type inference before running: each sub-expression's type from literals, the schema's examples and the
functions' signatures; type errors (and fields missing from the examples) reported as Problems with spans."""
from __future__ import annotations

from typing import Any, Optional, Union

from app.journeys.expr.binary_types import binary_type
from app.journeys.expr.errors import Problem
from app.journeys.expr.expression import Expr
from app.journeys.expr.functions import FUNCTIONS, TypeProblem
from app.journeys.expr.nodes import Binary, Call, If, ListLit, Lit, Node, RefNode, Test, Unary
from app.journeys.expr.schema import JOURNEY_PROPERTIES, UNKNOWN, Missing, Schema, type_of_example, walk_field
from app.journeys.expr.types import BOOLEAN, DECIMAL, DURATION, INTEGER, TypeInfo, fits, list_of, merge, type_name
from app.journeys.expr.values import ValueProblem, parse_temporal

T = Optional[TypeInfo]


class Inference:
    def __init__(self, expr: Expr, schema: Optional[Schema], problems: list[Problem]) -> None:
        self.text, self.schema, self.problems = expr.text, schema or Schema(), problems
        self.items: list[Any] = []  # example items of the collection functions being checked

    def problem(self, message: str, span: tuple[int, int], severity: str = "error") -> None:
        self.problems.append(Problem.at(severity, message, self.text, span))  # type: ignore[arg-type]

    def infer(self, node: Node) -> T:
        return getattr(self, "t_" + type(node).__name__.lower())(node)

    def t_lit(self, node: Lit) -> T:
        return TypeInfo(type_name(node.value))

    def t_listlit(self, node: ListLit) -> T:
        kinds = [self.infer(i) for i in node.items]
        known = [k for k in kinds if k is not None]
        merged = known[0] if known else None
        for k in known[1:]:
            merged = merge(merged, k)
            if merged is None:
                self.problem(f"a list holds items of one type, not {' and '.join(sorted({str(k) for k in known}))}",
                             node.span)
                return TypeInfo("listAny")
        return list_of(merged) if known else TypeInfo("listAny")

    def t_refnode(self, node: RefNode) -> T:
        default = self.infer(node.default) if node.default is not None else None
        found = self.example(node)
        if isinstance(found, Missing):
            return default
        return type_of_example(found) or default

    def example(self, node: RefNode) -> Any:
        """The example value the reference reads (UNKNOWN or Missing when there is none)."""
        ref = node.ref
        if ref.kind == "current":
            value, steps, where = (self.items[-1] if self.items else UNKNOWN), node.steps, "the collection's items"
            if not self.items:
                self.problem(f"{ref.name} only has a value inside a collection function (.all(), .first(), .last())",
                             ref.span)
        else:
            value, steps, where = self.schema.root(ref, node.steps)
        if ref.kind == "journey" and ref.name not in JOURNEY_PROPERTIES:
            self.problem(f"unknown journey property {ref.name!r}: one of {', '.join(JOURNEY_PROPERTIES)}", ref.span)
        for step in steps:
            value = self.method(value, step) if step.is_method else walk_field(value, step.name)
            if isinstance(value, Missing):
                if where and not ref.has_default:
                    self.problem(f"{where} has no field {value.where!r} (the value will be null)", step.span, "warning")
                return value
        return value

    def method(self, value: Any, step: Any) -> Any:
        items = value if isinstance(value, list) else None
        sample = items[0] if items else UNKNOWN
        for arg in step.args or ():
            self.items.append(sample if step.name in ("all", "first", "last") else UNKNOWN)
            try:
                kind = self.infer(arg)
            finally:
                self.items.pop()
            if step.name in ("all", "first", "last") and kind not in (None, BOOLEAN):
                self.problem(f".{step.name}() takes a condition (boolean), got {kind}", arg.span)
        if step.name == "all":
            return value
        if step.name in ("first", "last", "at"):
            return sample
        if step.name == "keys":
            return list(value) if isinstance(value, dict) and value else UNKNOWN
        return UNKNOWN  # .entry(): a map's values are not typed by the examples

    def t_unary(self, node: Unary) -> T:
        kind = self.infer(node.operand)
        if node.op == "not":
            self.want_boolean(kind, node.operand, "not")
            return BOOLEAN
        if kind is not None and kind not in (INTEGER, DECIMAL, DURATION):
            self.problem(f"cannot negate {kind}", node.span)
        return kind

    def want_boolean(self, kind: T, node: Node, where: str) -> None:
        if kind is not None and kind != BOOLEAN and kind.name != "null":
            self.problem(f"{where} expects true or false, got {kind}", node.span)

    def t_binary(self, node: Binary) -> T:
        left, right = self.infer(node.left), self.infer(node.right)
        try:
            return binary_type(node.op, left, right)
        except TypeProblem as exc:
            self.problem(str(exc), node.op_span if node.op in ("and", "or") else node.span)
            return BOOLEAN if node.op in ("and", "or", "==", "!=", "<", "<=", ">", ">=") else None

    def t_test(self, node: Test) -> T:
        kind = self.infer(node.operand)
        if node.op == "has null" and kind is not None and not kind.is_list and kind.name != "null":
            self.problem(f"has null looks into a list, got {kind}", node.span)
        return BOOLEAN

    def t_if(self, node: If) -> T:
        self.want_boolean(self.infer(node.cond), node.cond, "if")
        then, other = self.infer(node.then), self.infer(node.other)
        merged = merge(then, other)
        if merged is None and then is not None and other is not None:
            self.problem(f"the branches of if give different types: {then} and {other}", node.span)
        return merged

    def t_call(self, node: Call) -> T:
        args = [self.infer(a) for a in node.args]
        if node.name == "date" and node.args and isinstance(node.args[0], Lit) and type(node.args[0].value) is str:
            try:
                return TypeInfo(type_name(parse_temporal(node.args[0].value)))
            except ValueProblem as exc:
                self.problem(str(exc), node.args[0].span)
                return None
        try:
            return FUNCTIONS[node.name].result_type(args)
        except TypeProblem as exc:
            self.problem(str(exc), node.span)
            return None


def infer_type(expr: Union[Expr, str], schema: Optional[Schema] = None,
               problems: Optional[list[Problem]] = None) -> Optional[TypeInfo]:
    """The expression's type (None: unknown). Type errors and warnings go to problems when given."""
    from app.journeys.expr.parser import parse

    parsed = parse(expr) if isinstance(expr, str) else expr
    return Inference(parsed, schema, problems if problems is not None else []).infer(parsed.root)


def check_types(expr: Union[Expr, str], schema: Optional[Schema] = None) -> list[Problem]:
    problems: list[Problem] = []
    infer_type(expr, schema, problems)
    return problems


def check_field(expr: Union[Expr, str], schema: Optional[Schema], field_type: str, field: str) -> list[Problem]:
    """The type problems of an expression mapped to an action field, and whether its type fits the field."""
    from app.journeys.expr.parser import parse

    parsed = parse(expr) if isinstance(expr, str) else expr
    problems: list[Problem] = []
    kind = infer_type(parsed, schema, problems)
    if not fits(kind, field_type):
        problems.append(Problem.at("error", f"{field} is {field_type}; this expression gives {kind}",
                                   parsed.text, (0, len(parsed.text))))
    return problems


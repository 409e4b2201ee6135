"""Every function the platform names, registered by category in FUNCTIONS."""
from app.journeys.expr.functions import audience, conversion, dates, lists, numeric, strings  # noqa: F401 (register)
from app.journeys.expr.functions.registry import FUNCTIONS, Function, TypeProblem, suggestion, unknown_function_message

__all__ = ["FUNCTIONS", "Function", "TypeProblem", "suggestion", "unknown_function_message"]

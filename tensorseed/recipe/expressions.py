"""A tiny, safe expression language for preset descriptions.

Presets are data, not code: a shape like ``"=3 * n_embd"`` or a std like
``"=initializer_range / sqrt(2 * n_layer)"`` is evaluated here over the preset's config.
Arithmetic is Python's (binary64 for floats, exact for integers), evaluated left to right as
written. Only literals (numbers, strings, lists), names, arithmetic without powers,
comparisons, ``and/or/not``, ``x if c else y``, indexing and the functions below are allowed.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"sqrt": math.sqrt, "len": len, "int": int, "float": float}
MAX_EXPRESSION_CHARS = 200


class ExpressionError(ValueError):
    pass


def evaluate(text: str, names: Mapping[str, Any]) -> Any:
    """Evaluate one expression over ``names``; raise ExpressionError for anything not allowed."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {text!r}") from exc
    try:
        return _eval(tree.body, names)
    except (ArithmeticError, TypeError, IndexError, ValueError) as exc:
        raise ExpressionError(f"{text!r}: {exc}") from exc


def _eval(node: ast.expr, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ExpressionError(f"unknown name {node.id!r}")
        return names[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_eval(node.left, names), _eval(node.right, names))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, names)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _eval(node.operand, names)
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, names) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return _COMPARE[type(node.ops[0])](_eval(node.left, names), _eval(node.comparators[0], names))
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _eval(node.test, names) else node.orelse, names)
    if isinstance(node, ast.List):
        return [_eval(e, names) for e in node.elts]
    if isinstance(node, ast.Subscript):
        return _eval(node.value, names)[_eval(node.slice, names)]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
    ):
        return _FUNCTIONS[node.func.id](*(_eval(a, names) for a in node.args))
    raise ExpressionError(f"not allowed in a preset expression: {ast.dump(node)[:60]}")


_FIELD = re.compile(r"\{([^{}]+)\}")


def substitute(value: Any, names: Mapping[str, Any]) -> Any:
    """Resolve a description value: ``"=expr"`` strings are evaluated, ``{expr}`` in other
    strings are replaced by the expression's value, lists and objects are resolved inside."""
    if isinstance(value, str):
        if value.startswith("="):
            return evaluate(value[1:], names)
        return _FIELD.sub(lambda m: str(evaluate(m.group(1), names)), value)
    if isinstance(value, list):
        return [substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, names) for k, v in value.items()}
    return value

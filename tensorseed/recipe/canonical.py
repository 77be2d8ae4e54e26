"""RFC 8785 JSON Canonicalization Scheme (JCS): the one serializer for recipes and headers.

Numbers are IEEE-754 doubles printed as ECMAScript's Number.prototype.toString does (shortest
round-trip digits); object keys are sorted by their UTF-16 code units; strings are escaped
minimally; no whitespace. Other languages reproduce our headers byte for byte from this.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

MAX_SAFE_INTEGER = 2**53


def format_number(x: float) -> str:
    """ECMAScript Number::toString for a finite double (RFC 8785 section 3.2.2.3)."""
    if not math.isfinite(x):
        raise ValueError("JSON numbers must be finite")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + format_number(-x)
    mantissa, _, exp_text = repr(float(x)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = (int_part + frac_part).lstrip("0")
    exp10 = (int(exp_text) if exp_text else 0) - len(frac_part)
    stripped = digits.rstrip("0")
    exp10 += len(digits) - len(stripped)
    digits = stripped
    k = len(digits)
    n = k + exp10  # value = 0.digits * 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    sign = "+" if e >= 0 else "-"
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{head}e{sign}{abs(e)}"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES.update({chr(c): f"\\u{c:04x}" for c in range(0x20) if chr(c) not in _ESCAPES})
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f]')


def format_string(s: str) -> str:
    """A JSON string literal: only quote, backslash and control characters are escaped.

    (One regular-expression pass: a recipe embedded in a header is a megabyte-long string.)
    """
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], s) + '"'


def utf16_order(key: str) -> bytes:
    """Sort key for JCS: comparing UTF-16BE bytes compares UTF-16 code units."""
    return key.encode("utf-16-be", "surrogatepass")


def canonical_json(value: Any) -> str:
    """Serialize plain JSON data (dict, list, str, int, float, bool, None) per RFC 8785."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} is not exactly representable as a JSON number")
        return format_number(float(value))
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        return format_string(value)
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: utf16_order(kv[0]))
        return "{" + ",".join(f"{format_string(k)}:{canonical_json(v)}" for k, v in items) + "}"
    if isinstance(value, Sequence):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    raise TypeError(f"not JSON data: {type(value).__name__}")

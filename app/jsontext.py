"""Compact JSON text (no spaces, non-ASCII kept as is) for the hot paths: request payloads, run traces.

`json.dumps` and `JSONEncoder.encode` make a new C encoder (and a dict to detect cycles) for every
value they encode, which costs more than encoding a small value; `compact_encoder` makes one, once.
The text is what `json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)`
gives, except that a value containing itself is not detected (RecursionError): these values are
built from parsed JSON and never contain themselves.
"""
from __future__ import annotations

import json
from json import encoder as _encoder
from typing import Any, Callable, Optional


def compact_encoder(default: Optional[Callable[[Any], Any]] = None) -> Callable[[Any], str]:
    """A function giving the compact JSON text of a value; `default` as json.dumps's."""
    plain = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=default)
    make, quote = getattr(_encoder, "c_make_encoder", None), getattr(_encoder, "c_encode_basestring", None)
    if make is None or quote is None:  # a Python built without the _json accelerator
        return plain.encode
    chunks = make(None, plain.default, quote, None, ":", ",", False, False, True)

    def encode(value: Any) -> str:
        if type(value) is str:
            return str(quote(value))
        return "".join(chunks(value, 0))
    return encode

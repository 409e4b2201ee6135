"""sqlite3 binding None without looking for an adapter first (imported by the history and the traces).

sqlite3 binds None as NULL only after looking for an adapter: with none registered, every None bound
raises and clears an AttributeError inside the module, with the GIL held (~2,000-3,300 instructions a
None; callgrind: 3.6% of the history writer's thread, a quarter of the trace writer's). An adapter
giving None back (a C function: dict.get of a key it lacks) is found at once; the value bound is
still NULL. The registration is process-wide and the same whoever makes it first.
"""
from __future__ import annotations

import sqlite3

_NO_ADAPTER: dict[None, None] = {}
sqlite3.register_adapter(type(None), _NO_ADAPTER.get)

"""The window's zygote (ui/journeys/zygote.py) in an xdist worker: a fork of the workers' template
(tests/helpers/workers.py) instead of a new Python.

The window starts its zygote on its first run and keeps it until its process ends: in the suite, once
in each worker that runs a journey from the window. A new Python importing what a run needs costs
~0.85 s of CPU; the template imported all of it already (and made the expression parser and the TLS
context: its WARM_CALLS), so its fork costs a few milliseconds. It is the same zygote (app.journeys.zygote
`serve`, on the same listening socket, its input the same pipe, in the same folder with the same
environment): only how its process starts differs.
"""
from __future__ import annotations

import os
import socket
from typing import Any, Callable

from tests.helpers.forks import Forked, _request

# Python's own import statement in the zygote and its runs, as in the window's (a new Python, no Qt): the template
# imported PySide6, whose import hook would slow every import statement a run executes (tests/helpers/imports.py).
SERVE = ("import sys\nfrom app.journeys.zygote import main\nfrom tests.helpers.imports import plain_imports\n"
         "with plain_imports():\n    sys.exit(main(['zygote', 'serve', '3']))")


def forked_from(template: str) -> Callable[[socket.socket, str], Any]:
    """A replacement for ui.journeys.zygote._start_server: the zygote forked by the template listening at
    `template`, driven as the Popen it replaces (its pid, stdin, poll, wait, kill)."""
    def start_server(listener: socket.socket, folder: str) -> Forked:
        from ui.journeys.zygote import environment

        in_r, in_w = os.pipe()  # its input, held here: it serves until the worker closes it (or ends)
        out = os.open(os.devnull, os.O_WRONLY)
        try:
            conn = _request(template, {"code": SERVE, "args": [], "env": environment(), "cwd": folder},
                            [in_r, out, 2, listener.fileno()])
        except OSError:
            os.close(in_w)
            raise
        finally:
            os.close(in_r)
            os.close(out)
        return Forked(conn, in_w, None, None)
    return start_server

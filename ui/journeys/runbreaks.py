"""The view's breakpoints when the run is in its own process (ui.journeys.runprocess).

`RunBreakpoints` is the view's `Breakpoints` (what the diagram sets, checked here as it is set),
mirrored to the running child: every change of the points is sent to it, its paused profiles come
back as messages (`show_paused`) and are what `paused()` lists, and Step or Resume of one sends
the child a release. Between runs it is the plain set of points the next run starts with."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable, Optional

from app.journeys.breakpoints import Breakpoint, Breakpoints, Paused
from app.journeys.childrun import read_steps

Send = Callable[[dict[str, Any]], None]


class RunBreakpoints(Breakpoints):
    def __init__(self, on_change: Optional[Callable[[], None]] = None) -> None:
        super().__init__(on_change)
        self._send: Optional[Send] = None
        self._remote: list[Paused] = []

    def wire(self) -> list[dict[str, Any]]:
        """The points as the child reads them."""
        return [asdict(p) for p in self.points()]

    def attach(self, send: Send) -> None:
        """A run started: the points go to it (again: those set while it was starting too)."""
        self._send, self._remote = send, []
        send({"breakpoints": self.wire()})

    def detach(self) -> None:
        """The run ended: nothing is paused any more."""
        had = bool(self._remote)
        self._send, self._remote = None, []
        if had:
            self._changed()

    # -- what the window sets and asks ----------------------------------------------------------------
    def set(self, point: Breakpoint) -> None:
        super().set(point)
        self._push()

    def clear(self, node: str, port: Optional[str] = None) -> None:
        super().clear(node, port)
        self._push()

    def _push(self) -> None:
        if self._send is not None:
            self._send({"breakpoints": self.wire()})

    def paused(self) -> list[Paused]:
        return list(self._remote) if self._send is not None else super().paused()

    def release(self, key: int, stepping: bool = False) -> bool:
        if self._send is None:
            return super().release(key, stepping)
        if all(p.key != key for p in self._remote):
            return False
        self._send({"release": key, "stepping": stepping})
        return True

    # -- what the child says --------------------------------------------------------------------------
    def show_paused(self, items: list[dict[str, Any]]) -> None:
        """The child's paused profiles now (its `paused` message)."""
        if self._send is None:
            return
        self._remote = [Paused(d["key"], d["row"], d["profileId"], d["node"], tuple(d["edge"]) if d["edge"] else None,
                               d["why"], d["since"], read_steps(d["steps"]), self, None, None)  # type: ignore[arg-type]
                        for d in items]
        self._changed()

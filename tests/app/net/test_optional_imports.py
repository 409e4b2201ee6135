"""An httpx call does not search sys.path for an optional module that is not installed, call after call."""
from __future__ import annotations

import asyncio
import importlib.util
import sys
from types import ModuleType
from typing import Optional, Sequence

import httpx
import pytest

from app.net.config import NetConfig
from app.sandbox import Sandbox


class _Lookups:
    """A finder placed first: it records each module name the import system looks for, and finds none."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: Optional[Sequence[str]] = None,
                  target: Optional[ModuleType] = None) -> None:
        self.names.append(name)
        return None


async def _calls(url: str, count: int) -> list[int]:
    async with httpx.AsyncClient(**NetConfig().httpx_options()) as client:
        return [(await client.get(f"{url}/_sandbox/health")).status_code for _ in range(count)]


@pytest.mark.skipif(importlib.util.find_spec("sniffio") is not None, reason="sniffio is installed: httpcore imports it")
def test_calls_through_httpcore_never_look_for_sniffio(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    lookups = _Lookups()
    monkeypatch.setattr(sys, "meta_path", [lookups, *sys.meta_path])
    assert asyncio.run(_calls(sandbox.base_url, 5)) == [200] * 5
    assert "sniffio" not in lookups.names

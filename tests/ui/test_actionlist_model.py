"""The action list model and its filter proxy, without widgets (10,000 rows)."""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt

from ui.actionlist.model import (
    AUTH,
    DESCRIPTION,
    MODIFIED,
    NAME,
    USED,
    ActionFilterProxy,
    ActionListModel,
    DirtyRole,
    SortRole,
    SummaryRole,
)


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    method: str = "POST"
    auth: str = "none"
    modified: str = "2026-11-23T12:00:00+00:00"
    url: str = "https://example.com"


def many(n: int) -> list[Summary]:
    return list(_many(n))  # a list of its own for each caller; the rows are frozen


@functools.cache  # the same rows each time: generated once per process
def _many(n: int) -> tuple[Summary, ...]:
    rng = random.Random(7)
    auths = ["none", "basic", "apiKey", "customAuthorization"]
    return tuple(Summary(f"action_{i:05d}", f"description {rng.randrange(1000)} {'webhook' if i % 10 == 0 else 'event'}",
                         rng.choice(["POST", "PUT", "GET"]), rng.choice(auths),
                         f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00+00:00") for i in reversed(range(n)))


@pytest.fixture
def big() -> tuple[ActionListModel, ActionFilterProxy, list[Summary]]:
    rows = many(10_000)
    model = ActionListModel()
    used = {"action_00003": ["j1", "j2"], "action_00007": ["j1"]}
    model.set_summaries(rows, used)
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy, rows


def test_models_pass_the_model_tester(qtmodeltester):
    small = ActionListModel()
    small.set_summaries(many(50), {})
    qtmodeltester.check(small)
    small_proxy = ActionFilterProxy()
    small_proxy.setSourceModel(small)
    small_proxy.set_text("webhook")
    qtmodeltester.check(small_proxy)


def test_10000_rows_build_and_filter():
    # How fast is bench/bench_filter.py's and bench_startup.py's business (timings are not asserted
    # in tests: a loaded CI machine read 0.53 s here once); this holds what 10,000 rows give.
    rows = many(10_000)
    model = ActionListModel()
    model.set_summaries(rows, {})
    assert model.rowCount() == 10_000
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("webhook")
    assert proxy.rowCount() == 1000
    proxy.set_text("")
    assert proxy.rowCount() == 10_000


def test_sorted_by_name_case_insensitively_then_by_each_column(big):
    model, proxy, rows = big
    names = [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]
    assert names == sorted((s.name for s in rows), key=str.lower)
    proxy.sort(MODIFIED, Qt.SortOrder.DescendingOrder)
    mods = [proxy.index(r, 0).data(SummaryRole).modified for r in range(proxy.rowCount())]
    assert mods == sorted(mods, reverse=True)
    proxy.sort(USED, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, NAME).data() == "action_00003"
    assert proxy.index(0, USED).data() == "2"
    assert proxy.index(1, NAME).data() == "action_00007"
    proxy.sort(AUTH, Qt.SortOrder.AscendingOrder)
    keys = [proxy.index(r, AUTH).data(SortRole) for r in range(proxy.rowCount())]
    assert keys == sorted(keys)
    assert proxy.index(0, AUTH).data() == "API key"


def test_filter_on_name_and_description_as_you_type(big):
    model, proxy, _ = big
    proxy.set_text("action_0001")
    assert proxy.rowCount() == 10  # action_00010 .. action_00019
    assert all("action_0001" in proxy.index(r, NAME).data() for r in range(proxy.rowCount()))
    proxy.set_text("WEBHOOK")  # case-insensitive, matches the description
    assert proxy.rowCount() == 1000
    assert all("webhook" in proxy.index(r, DESCRIPTION).data() for r in range(proxy.rowCount()))
    proxy.set_text("")
    assert proxy.rowCount() == 10_000


def test_filter_then_sort_keeps_the_filter(big):
    model, proxy, _ = big
    proxy.set_text("webhook")
    proxy.sort(NAME, Qt.SortOrder.DescendingOrder)
    names = [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]
    assert len(names) == 1000 and names == sorted(names, reverse=True)


def test_upsert_keeps_sort_order_and_rename_replaces(big):
    model, proxy, _ = big
    model.upsert(Summary("action_04999b", "new"))
    row = model.row_of("action_04999b")
    assert model.summary(row - 1).name == "action_04999" and model.summary(row + 1).name == "action_05000"
    model.upsert(Summary("zzz", "renamed"), old_name="action_04999b")
    assert model.row_of("action_04999b") == -1
    assert model.summary(model.rowCount() - 1).name == "zzz"
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    model.upsert(Summary("action_05000a", "x"))
    row = model.row_of("action_05000a")
    assert model.summary(row - 1).name == "action_05001" and model.summary(row + 1).name == "action_05000"


def test_dirty_marker_and_remove(big):
    model, proxy, _ = big
    model.set_dirty("action_00042", True)
    index = model.index(model.row_of("action_00042"), NAME)
    assert index.data(DirtyRole) is True
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "unsaved" in index.data(Qt.ItemDataRole.ToolTipRole)
    model.remove("action_00042")
    assert model.row_of("action_00042") == -1 and model.rowCount() == 9_999
    assert not model.is_dirty("action_00042")

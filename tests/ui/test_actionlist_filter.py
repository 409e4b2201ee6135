"""The search proxy shows exactly the rows the old rule accepted, keystroke after keystroke, and
follows the list's inserts, removals, sorts and resets (property tests)."""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from tests.helpers.imports import drawn_with_plain_imports
from ui.actionlist.filterproxy import SEP, ActionFilterProxy
from ui.actionlist.model import DESCRIPTION, NAME, ActionListModel


@dataclass(frozen=True)
class Summary:
    name: str
    description: str
    url: str
    method: str = "POST"
    auth: str = "none"
    modified: str = "2026-11-23T12:00:00+00:00"


def old_rule(s: Summary, text: str) -> bool:
    """The rule of the QSortFilterProxyModel this proxy replaced (its filterAcceptsRow), verbatim."""
    needle = text.strip().lower()
    if not needle:
        return True
    return any(needle in t.lower() for t in (s.name, s.description, s.url))


# Few letters, so that texts often match; the separator, case pairs and letters that lower to two.
LETTERS = st.sampled_from(list("abAB /-_0") + [SEP, "İ", "Σ", "ß", "ẞ", " "])
TEXT = st.text(LETTERS, max_size=6)
SUMMARIES = st.lists(st.builds(Summary, name=st.text(LETTERS, min_size=1, max_size=8), description=TEXT, url=TEXT),
                     max_size=25, unique_by=lambda s: s.name)


def shown(proxy: ActionFilterProxy) -> list[str]:
    return [proxy.index(r, NAME).data() for r in range(proxy.rowCount())]


def expected(model: ActionListModel, text: str) -> list[str]:
    return [s.name for s in model.summaries() if old_rule(s, text)]


@drawn_with_plain_imports
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=SUMMARIES, typed=st.lists(TEXT, min_size=1, max_size=6))
def test_every_keystroke_shows_what_the_old_rule_accepted(qapp, rows, typed) -> None:
    model = ActionListModel()
    model.set_summaries(rows)
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    for word in typed:
        for end in range(len(word) + 1):  # typed letter by letter (narrowing), then the next word
            proxy.set_text(word[:end])
            assert shown(proxy) == expected(model, word[:end])


@drawn_with_plain_imports
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=SUMMARIES, more=SUMMARIES, text=TEXT, data=st.data())
def test_the_filter_follows_inserts_removals_sorts_and_resets(qapp, rows, more, text, data) -> None:
    model = ActionListModel()
    model.set_summaries(rows)
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text(text)
    for s in more:
        if model.row_of(s.name) < 0:
            model.upsert(s)
            assert shown(proxy) == expected(model, text)
    for name in data.draw(st.lists(st.sampled_from(model.names()), max_size=5)) if model.names() else []:
        model.remove(name)
        assert shown(proxy) == expected(model, text)
    model.sort(DESCRIPTION, Qt.SortOrder.DescendingOrder)
    assert shown(proxy) == expected(model, text)
    model.set_summaries(rows)
    assert shown(proxy) == expected(model, text)
    for r in range(proxy.rowCount()):  # every shown row maps back and forth
        source = proxy.mapToSource(proxy.index(r, NAME))
        assert proxy.mapFromSource(source).row() == r
        assert proxy.proxy_row_of(source.data()) == r


@drawn_with_plain_imports
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=SUMMARIES, more=SUMMARIES, word=TEXT, data=st.data())
def test_backspaces_show_what_the_old_rule_accepts_after_the_list_changed(qapp, rows, more, word, data) -> None:
    """A backspace takes back the rows a shorter text had a moment ago, unless the list changed since."""
    model = ActionListModel()
    model.set_summaries(rows)
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    for end in range(len(word) + 1):
        proxy.set_text(word[:end])
    for end in reversed(range(len(word))):  # backspaces, the list changing between some of them
        change = data.draw(st.sampled_from(["none", "insert", "remove", "sort", "reset"]))
        fresh = [s for s in more if model.row_of(s.name) < 0]
        if change == "insert" and fresh:
            model.upsert(fresh[0])
        elif change == "remove" and model.names():
            model.remove(data.draw(st.sampled_from(model.names())))
        elif change == "sort":
            model.sort(DESCRIPTION, data.draw(st.sampled_from(list(Qt.SortOrder))))
        elif change == "reset":
            model.set_summaries(more)
        proxy.set_text(word[:end])
        assert shown(proxy) == expected(model, word[:end])


def test_the_selection_survives_a_sort_of_the_filtered_list(qapp) -> None:
    from PySide6.QtCore import QItemSelectionModel

    model = ActionListModel()
    model.set_summaries([Summary(f"a{i}", f"d{i % 3}", "u") for i in range(9)])
    proxy = ActionFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("d1")
    selection = QItemSelectionModel(proxy)
    selection.setCurrentIndex(proxy.index(1, NAME), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert selection.currentIndex().data() == "a4"
    proxy.sort(NAME, Qt.SortOrder.DescendingOrder)
    assert shown(proxy) == ["a7", "a4", "a1"]
    assert selection.currentIndex().data() == "a4"  # moved with its row

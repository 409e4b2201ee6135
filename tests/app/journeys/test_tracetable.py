"""The profile table's queries agree with the trace's counts, page, sort and filter (no Qt)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from app.journeys.actionplan import Resolvers
from app.journeys.files import load_journey
from app.journeys.profiles import ProfileSource
from app.journeys.runner import JourneyRun, RunOptions
from app.journeys.targets import Target
from app.journeys.tracereader import TraceReader
from app.journeys.tracetable import ProfileFilter, TraceTable
from tests.app.journeys.runkit import sample_services


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample journey over the sample's profiles, every call dry (nothing sent); run once for
    the module (~0.1 s of CPU): the tests only read its trace."""
    with sample_services(tmp_path_factory.mktemp("sample")) as services:
        home = services.workspace.home
        journey = load_journey(home, "sampleJourney")
        actions = {n: services.workspace.load(n) for n in journey.actions_used()}
        targets = {n.id: Target("dry") for n in journey.action_nodes()}
        run = JourneyRun(home, journey, actions, engine=services.auth, resolvers=Resolvers(services.resolver()),
                         options=RunOptions(seed=5, targets=targets))
        with ProfileSource.open(home / "profiles" / "purchases.csv", journey.entry) as source:
            path = run.run(source).path
        yield path


def test_every_count_of_the_trace_filters_to_as_many_rows(sample_run: Path) -> None:
    with TraceReader(sample_run) as reader:
        nodes, edges, codes, outcomes = reader.node_counts(), reader.edge_counts(), reader.codes(), reader.outcomes()
        ended = reader.ended_at()
    with TraceTable(sample_run) as table:
        assert table.count() == sum(outcomes.values())
        for outcome, n in outcomes.items():
            assert table.count(ProfileFilter().with_kind("outcome", outcome)) == n
        for node, n in nodes.items():
            assert table.count(ProfileFilter().with_kind("node", node)) == n
        for node, n in ended.items():
            assert table.count(ProfileFilter().with_kind("lastNode", node)) == n
        for edge, n in edges.items():
            assert table.count(ProfileFilter().with_kind("edge", edge)) == n
        for node, by_code in codes.items():
            for code, n in by_code.items():
                assert table.count(ProfileFilter().with_kind("status", (node, code))) == n
    assert len(edges) >= 3 and outcomes["rejected"] == 12


def test_pages_sort_and_combine_filters(sample_run: Path) -> None:
    with TraceTable(sample_run) as table:
        everything = table.page(limit=1000)
        assert [r.seq for r in table.page(offset=10, limit=5)] == [r.seq for r in everything[10:15]]
        slowest = table.page(sort="wallMs", descending=True, limit=3)
        timed = sorted((r.wall_ms for r in everything if r.wall_ms is not None), reverse=True)
        assert [r.wall_ms for r in slowest] == timed[:3]
        by_id = table.page(ProfileFilter(profile_id="p-00001"), sort="profileId")
        ids = [r.profile_id for r in by_id]
        assert ids and ids == sorted(ids) and all("p-00001" in i for i in ids)
        assert len(by_id) == sum(1 for r in everything if r.profile_id and "p-00001" in r.profile_id)
        both = ProfileFilter().with_kind("node", "vipEvent").with_kind("outcome", "finished")
        assert all(r.outcome == "finished" for r in table.page(both))
        assert table.count(both) == table.count(ProfileFilter(node="vipEvent"))
        slow_bound = timed[len(timed) // 2]
        assert table.count(ProfileFilter(min_ms=slow_bound)) == sum(1 for t in timed if t >= slow_bound)
        assert set(table.choices()["outcome"]) == {r.outcome for r in everything}


def test_a_wrong_sort_or_filter_kind_says_which(sample_run: Path) -> None:
    with TraceTable(sample_run) as table, pytest.raises(ValueError, match="cannot sort by 'nope'"):
        table.page(sort="nope")
    with pytest.raises(ValueError, match="unknown filter 'colour'"):
        ProfileFilter().with_kind("colour", "red")


def test_a_file_that_is_not_a_trace_is_named(tmp_path: Path) -> None:
    from app.journeys.traces import TraceError

    bad = tmp_path / "x.sqlite3"
    bad.write_text("not a database at all, just text" * 10)
    with pytest.raises(TraceError, match="x.sqlite3: not a readable run trace"):
        TraceTable(bad)


def test_an_entry_reads_by_its_table_row(sample_run: Path) -> None:
    with TraceTable(sample_run) as table:
        row = table.page(ProfileFilter(node="vipEvent"), limit=1)[0]
    with TraceReader(sample_run) as reader:
        entry = reader.entry(row.seq)
        assert reader.entry(10**9) is None
    assert entry is not None and entry["profileId"] == row.profile_id
    assert [s["node"] for s in entry["steps"]] == entry["path"] and "vipEvent" in entry["path"]

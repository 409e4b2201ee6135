"""The journey view's screenshots (called by tools.screenshots): the diagram with a run's counts, a
profile's trace, the editor with a refused mapping, the run replayed against the journey with its VIP
threshold lowered and compared with it."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


def journey_shots(app: Any, window: Any, out: Path, wait: Callable[..., bool], settle: Callable[..., None],
                  suffix: str = "") -> None:
    from ui import workers

    def shot(name: str) -> None:
        wait(app, lambda: not workers.busy())
        settle(app, 0.5)
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)

    window.show_journeys()
    area = window.journeys
    wait(app, lambda: area.list.list.count() > 0)
    area.list.select("sampleJourney")
    view = area.view
    wait(app, lambda: view.run_view is not None and view.journey is not None)
    bar = view.run_view.runbar
    bar.profiles.setText(str(window.services.workspace.home / "profiles" / "purchases.csv"))
    bar.seed.setText("3")
    wait(app, lambda: bar.preview_data is not None)
    shown: list[bool] = []
    view.countsShown.connect(lambda: shown.append(True))
    bar.start()
    wait(app, lambda: bool(shown), 60)
    model = view.run_view.profiles.model
    wait(app, lambda: model.total == 303)
    view.diagram.zoom_to_fit()
    shot("12-journey-run")

    view.diagram.filterRequested.emit("node", "vipEvent")
    wait(app, lambda: model.total == 95)
    entries: list[Any] = []
    view.run_view.trace.entryShown.connect(entries.append)
    view.run_view.profiles.table.selectRow(0)
    wait(app, lambda: bool(entries))
    trace = view.run_view.trace
    steps = [trace.steps.topLevelItem(i) for i in range(trace.steps.topLevelItemCount())]
    attempt = next((s.child(i) for s in steps for i in range(s.childCount())
                    if s.child(i).text(0).startswith("Attempt")), None)
    if attempt is not None:
        trace.steps.setCurrentItem(attempt)
    shot("13-journey-trace")

    editor = view.editor
    view.tabs.setCurrentWidget(editor)
    editor.select_node("vipEvent")
    from ui.journeys.exprbox import ExprBox

    box = editor.form.findChild(ExprBox, "journeyMapping_body.value")
    if box is not None:
        box.setText('upper(@event{purchase.customerId})')
    shot("14-journey-editor")
    if box is not None:
        box.setText("@event{purchase.value}")
    view.tabs.setCurrentWidget(view.run_page)
    compare_shot(app, window, view, bar.result.path, wait, settle, shot)
    window.show_actions()


def compare_shot(app: Any, window: Any, view: Any, source: Path, wait: Callable[..., bool],
                 settle: Callable[..., None], shot: Callable[[str], None]) -> None:
    """The sample's journey saved with the VIP threshold at 50 (the screenshots' own copy of the
    sample), the run replayed against it: the compare view with a moved profile selected."""
    from app.journeys.files import save_journey
    from app.journeys.model import Journey

    data = view.journey.model_dump(by_alias=True, exclude_none=True)
    for node in data["nodes"]:
        if node["id"] == "checkValue":
            node["paths"][0]["expression"] = "@event{purchase.value} > 50"
    old = view.run_view
    view.open(save_journey(window.services.workspace.home, Journey.model_validate(data)))
    wait(app, lambda: view.run_view is not old and view.run_view is not None)
    from ui import workers

    wait(app, lambda: not workers.busy())
    settle(app, 1.5)  # the window may reopen the journey it saw change on disk: the view it ends with
    run_view = view.run_view
    bar = run_view.runbar
    wait(app, lambda: bar.past.findData(str(source)) >= 0)
    bar.past.setCurrentIndex(bar.past.findData(str(source)))
    diffs: list[Any] = []
    run_view.compare.diffShown.connect(diffs.append)
    bar.replay_button.replay_action.trigger()
    wait(app, lambda: bool(diffs), 60)
    compare = run_view.compare
    wait(app, lambda: compare.model.rowCount() > 0)
    compare.table.selectRow(0)
    wait(app, lambda: compare.trace_b.entry is not None)
    view.diagram.zoom_to_fit()
    shot("18-journey-compare")

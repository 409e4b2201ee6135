"""The send panel: templates for the two seed endpoints, raw JSON, inline checks, batches."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from app.calls.history import Filter, history_of
from ui.sending import SendPanel
from ui.sending.templates import CustomEventComposer, InletComposer, RawComposer


@pytest.fixture
def panel(qtbot, gui_services) -> SendPanel:
    widget = SendPanel(gui_services)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.action is not None)  # the first action loads off the UI thread
    return widget


def choose(qtbot, panel: SendPanel, name: str) -> None:
    """Choose an action and wait until it is loaded (loading runs in a worker)."""
    panel.select_action(name)
    qtbot.waitUntil(lambda: panel.action is not None and panel.action.name == name)


def test_the_panels_loads_run_in_workers(qtbot, gui_services, monkeypatch) -> None:
    """Listing, loading the chosen action and resolving raw JSON's example values read files (and may
    start the sandbox): never on the UI thread."""
    workspace = gui_services.workspace
    on_ui_thread: dict[str, list[bool]] = {}
    for name in ("names", "load_stamped", "environments"):
        def spy(*args, _real=getattr(workspace, name), _name=name, **kwargs):  # noqa: B008 - bound per name
            on_ui_thread.setdefault(_name, []).append(threading.current_thread() is threading.main_thread())
            return _real(*args, **kwargs)
        monkeypatch.setattr(workspace, name, spy)
    widget = SendPanel(gui_services)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.action is not None)
    choose(qtbot, widget, "notifyWebhook")
    assert json.loads(widget.composer.editor.toPlainText())["customerId"] == "c-1001"
    assert set(on_ui_thread) == {"names", "load_stamped", "environments"}
    assert not any(True in calls for calls in on_ui_thread.values()), on_ui_thread


def test_templates_follow_the_action(qtbot, panel: SendPanel) -> None:
    assert [panel.actions.itemText(i) for i in range(panel.actions.count())] == \
        ["airshipCustomEvent", "notifyWebhook", "writeJourneyEvent"]
    assert isinstance(panel.composer, CustomEventComposer) and panel.kind.text() == "custom event"
    choose(qtbot, panel, "writeJourneyEvent")
    assert isinstance(panel.composer, InletComposer) and panel.kind.text() == "streaming inlet"
    choose(qtbot, panel, "notifyWebhook")
    assert isinstance(panel.composer, RawComposer)
    assert json.loads(panel.composer.editor.toPlainText())["customerId"] == "c-1001"


def test_custom_event_checks_inline_then_sends(qtbot, panel: SendPanel, sandbox) -> None:
    composer = panel.composer
    assert isinstance(composer, CustomEventComposer)
    assert composer.user_value.text() == "hugh.manbeing" and composer.name.text() == "purchased"
    composer.name.setText("Purchased")
    assert "[0].body.name: must not contain uppercase letters" in panel.problems.text()
    assert panel.problems.isVisible()
    panel.send_button.click()
    assert "Not sent" in panel.result_view.outcome.text() and not sandbox.counters().get("custom_events")
    composer.name.setText("purchased")
    composer.occurred.setText("2001-01-01T00:00:00")
    assert "[0].occurred: must be within the last 90 days" in panel.problems.text()
    composer.occurred.setText("")
    composer.properties.setPlainText('{"brand": "Victory", "size": 42}')
    composer.properties.edited.emit()
    assert not panel.problems.isVisible()
    with qtbot.waitSignal(panel.sent, timeout=15000) as caught:
        panel.send_button.click()
    result = caught.args[0]
    assert result.ok and result.body[0]["body"]["properties"] == {"brand": "Victory", "size": 42}
    assert panel.result_view.outcome.text().startswith("http_200")
    assert history_of(panel.services).rows(Filter(source="manual"))[0].action == "airshipCustomEvent"


def test_inlet_envelope_and_raw_json_send(qtbot, panel: SendPanel, sandbox) -> None:
    choose(qtbot, panel, "writeJourneyEvent")
    composer = panel.composer
    assert isinstance(composer, InletComposer) and composer.event_type.text() == "journey.step"
    composer.timestamp.setText("yesterday")
    assert "body.xdmEntity.timestamp" in panel.problems.text()
    composer.timestamp.setText("2026-11-23T12:00:00+00:00")
    with qtbot.waitSignal(panel.sent, timeout=15000) as caught:
        panel.send_button.click()
    assert caught.args[0].ok and caught.args[0].body["body"]["xdmEntity"]["eventType"] == "journey.step"
    choose(qtbot, panel, "notifyWebhook")
    panel.composer.editor.setPlainText('{"hello": "world"}')
    with qtbot.waitSignal(panel.sent, timeout=15000) as caught:
        panel.send_button.click()
    assert caught.args[0].data["body"] == {"hello": "world"}


def test_batch_file_with_bad_lines(qtbot, panel: SendPanel, sandbox, tmp_path: Path) -> None:
    choose(qtbot, panel, "notifyWebhook")
    lines = [json.dumps({"customerId": f"c{i}"}) if i % 100 != 5 else "{bad" for i in range(300)]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines))
    panel.batch_file.setText(str(path))
    with qtbot.waitSignal(panel.batchFinished, timeout=30000) as caught:
        panel.start_button.click()
        assert panel.batch_running and panel.cancel_button.isEnabled()
    summary = caught.args[0]
    assert summary.ok == 297 and len(summary.bad) == 3
    assert panel.progress.value() == 297 and panel.progress.maximum() == 297
    assert "sent 297 of 297" in panel.summary.text() and "line 6: not valid JSON" in panel.summary.text()
    assert not panel.batch_running and panel.start_button.isEnabled()
    assert sandbox.counters()["echo"] == 297


def test_batch_can_be_cancelled(qtbot, panel: SendPanel, sandbox, tmp_path: Path) -> None:
    choose(qtbot, panel, "notifyWebhook")
    sandbox.set_fault("echo", latency_ms=100)
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps({"customerId": f"c{i}"}) for i in range(500)))
    panel.batch_file.setText(str(path))
    panel.concurrency.setValue(2)
    with qtbot.waitSignal(panel.batchFinished, timeout=30000) as caught:
        panel.start_button.click()
        qtbot.waitUntil(lambda: panel.progress.value() >= 4, timeout=10000)
        panel.cancel_button.click()
    summary = caught.args[0]
    assert summary.cancelled and summary.sent < 100
    assert "cancelled" in panel.summary.text()


def test_batch_with_a_missing_file(panel: SendPanel, tmp_path: Path, answers) -> None:
    answers.open_file = tmp_path / "nope.csv"
    panel.findChild(type(panel.start_button), "") if False else None
    panel.on_browse()
    assert panel.batch_file.text().endswith("nope.csv")
    panel.start_button.click()
    assert "No such file" in panel.summary.text()


def test_raw_json_with_nan_is_not_sent(qtbot, panel: SendPanel, sandbox) -> None:
    choose(qtbot, panel, "notifyWebhook")
    panel.composer.editor.setPlainText('{"customerId": "c-1", "score": NaN}')
    panel.composer.editor.edited.emit()
    assert "Body: not valid JSON" in panel.problems.text() and "NaN at score is not JSON" in panel.problems.text()
    panel.send_button.click()
    assert "Not sent" in panel.result_view.outcome.text() and not sandbox.counters().get("echo")


def test_a_vanished_action_is_reported_and_nothing_stale_is_sent(qtbot, panel: SendPanel, sandbox) -> None:
    from app.store import Workspace

    choose(qtbot, panel, "airshipCustomEvent")
    # Another process deletes the action the panel has not loaded yet (its name still listed).
    other = Workspace.open(panel.services.workspace.home)
    other.delete("notifyWebhook")
    panel.actions.setCurrentText("notifyWebhook")  # the user picks it: no traceback
    qtbot.waitUntil(lambda: "notifyWebhook" in panel.problems.text())
    assert panel.problems.isVisible() and "cannot be used" in panel.problems.text()
    assert panel.action is None and not panel.send_button.isEnabled()
    panel.on_send()  # even called directly, the previously chosen action is not sent
    panel.on_start_batch()
    assert not any(sandbox.counters().values()) and not panel.batch_running


def test_the_list_follows_the_workspace_and_a_chosen_action_that_goes_is_reported(qtbot, panel: SendPanel) -> None:
    choose(qtbot, panel, "notifyWebhook")
    panel.set_actions(["airshipCustomEvent", "notifyWebhook", "notifyWebhook_copy", "writeJourneyEvent"])
    assert panel.actions.findText("notifyWebhook_copy") >= 0
    assert panel.action is not None and panel.action.name == "notifyWebhook"  # the choice is kept
    panel.set_actions(["airshipCustomEvent", "writeJourneyEvent"])
    assert panel.action is None and not panel.send_button.isEnabled()
    assert "“notifyWebhook” is no longer in the workspace" in panel.problems.text()
    panel.select_action("writeJourneyEvent")
    qtbot.waitUntil(lambda: panel.action is not None and panel.action.name == "writeJourneyEvent")
    assert panel.send_button.isEnabled() and "no longer" not in panel.problems.text()

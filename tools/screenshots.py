"""Render the main screens to PNG: `python -m tools.screenshots OUTDIR` (run under Xvfb: make screenshots).

The real window on a temporary copy of the sample workspace, an in-memory keyring and a running
sandbox; each picture is `QWidget.grab()` of the shown window after the state it shows is reached.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from app.services import Services

SIZE = (1400, 900)
ROOT = Path(__file__).resolve().parent.parent


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Process events until `condition()` holds (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return False


def settle(app: Any, seconds: float = 0.3) -> None:
    wait_until(app, lambda: False, seconds)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="action-studio-shots-"))
    os.environ["ACTION_STUDIO_SETTINGS"] = str(tmp / "settings.ini")  # never the user's window state
    home = tmp / "Sample workspace"

    from app.paths import sample_workspace
    from app.sample import seed_sample_secrets
    from app.secrets import MemoryBackend, SecretStore
    from app.services import Services

    shutil.copytree(sample_workspace(), home, ignore=shutil.ignore_patterns("sample-secrets.json", ".index.json"))
    services = Services.open(home, SecretStore(MemoryBackend(), namespace="shots"))
    seed_sample_secrets(services.secrets)
    services.sandbox_url()  # running before the window opens, as the status dot will show

    from ui.app import make_application

    app = make_application()
    dark = "--dark" in argv
    if dark:
        _dark_palette(app)
    from ui import create_main_window, workers

    window = create_main_window(home, services)
    window.resize(*SIZE)
    window.show()
    assert wait_until(app, window.is_ready), "the window did not get ready"
    idle = lambda: not workers.busy()  # noqa: E731

    def shot(name: str) -> None:
        wait_until(app, idle)
        settle(app)
        path = out / f"{name}{'-dark' if dark else ''}.png"
        window.grab().save(str(path))
        print(path)

    def scroll(key: str) -> None:
        window.pane.scroll_to(key)
        wait_until(app, idle)
        settle(app)
        window.pane.scroll_to(key)  # again, once the sections have their final sizes

    def open_action(name: str) -> None:
        window.list.select(name, quiet=False)
        wait_until(app, lambda: window.pane.saved_name() == name)
        window.pane.column.verticalScrollBar().setValue(0)

    open_action("writeJourneyEvent")
    shot("01-list-and-pane")
    from tools.journeyshots import journey_shots

    if dark:
        journey_shots(app, window, out, wait_until, settle, "-dark")
        return _finish(app, window, services, tmp)

    open_action("airshipCustomEvent")
    scroll("url")
    shot("02-url-and-headers")

    open_action("writeJourneyEvent")
    scroll("auth")
    shot("03-authentication")

    auth = window.pane.auth
    auth.test_authentication()
    wait_until(app, lambda: not auth.is_testing(), 20)
    scroll("auth")
    shot("04-auth-test-ok")

    from app.model import SecretRef

    ref = SecretRef(secret="sample/writeJourneyEvent/client_secret")
    services.secrets.put("not-the-secret", ref=ref)
    auth.test_authentication()
    wait_until(app, lambda: not auth.is_testing(), 20)
    scroll("auth")
    shot("05-auth-test-failed")
    services.secrets.put("5678", ref=ref)

    open_action("notifyWebhook")
    scroll("payload")
    shot("06-payloads")

    open_action("notifyWebhook")
    names = window.pane.names
    names.name_edit.setText("notify webhook!")
    names.update_rule()
    window.pane.url.url_edit.setText("http://10.0.0.7:8080/hook")
    window.pane.save()
    window.pane.column.verticalScrollBar().setValue(0)
    shot("07-save-blockers")

    window.pane.names.name_edit.setText("notifyWebhook")
    window.pane.url.url_edit.setText("{{baseUrl}}/echo/notify")
    window.pane.commit()
    window.undo_stack.clear()
    window.pane.load(services.workspace.load("notifyWebhook"), [])
    import httpx

    base = services.sandbox.base_url
    with httpx.Client() as client:
        client.post(f"{base}/ims/token/v3", data={"client_id": "1234", "client_secret": "5678",
                                                   "grant_type": "client_credentials"})
        client.post(f"{base}/echo/notify", json={"customerId": "c-1001", "message": "Welcome aboard"})
        client.post(f"{base}/api/custom-events", json=[{"name": "purchased"}])
    window.panels.toggle_sandbox_panel(True)
    panel = window.panels.sandbox_panel
    wait_until(app, lambda: panel.model.rowCount() >= 3)
    panel.table.selectRow(panel.model.rowCount() - 2)
    shot("08-sandbox-panel")
    window.panels.toggle_sandbox_panel(False)

    from ui.environments import EnvironmentsDialog

    dialog = EnvironmentsDialog(services, window)
    dialog.show()
    wait_until(app, dialog.isVisible)
    settle(app)
    path = out / "09-environments.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.reject()

    _request_shots(app, window, out, wait_until, settle)
    _check_shot(app, window, services, out)
    journey_shots(app, window, out, wait_until, settle)
    from tools.shipshots import first_run_shots

    first_run_shots(app, window, out, wait_until, settle, SIZE)
    _import_shot(app, window, services, out)
    code = _finish(app, window, services, tmp)
    import subprocess

    # The dark scheme in a fresh process (the palette is chosen before any widget exists).
    return code or subprocess.call([sys.executable, "-m", "tools.screenshots", str(out), "--dark"])


def _request_shots(app: Any, window: Any, out: Path, wait: Callable[..., bool], settle_: Callable[..., None]) -> None:
    """A test request with its response, then the history dock that recorded it."""
    window.list.select("airshipCustomEvent", quiet=False)
    wait(app, lambda: window.pane.saved_name() == "airshipCustomEvent")
    window.open_test_request()
    dialog = window.panels.request_dialogs[-1]
    dialog.resize(1000, 760)
    sent: list[Any] = []
    dialog.finished_call.connect(sent.append)
    dialog.on_send()
    wait(app, lambda: bool(sent), 20)
    settle_(app)
    path = out / "10-test-request.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.close()
    window.panels.toggle_dock("history", True)
    dock = window.panels.docks["history"]
    panel = dock.panel
    wait(app, lambda: panel.model.rowCount() >= 1)
    panel.table.selectRow(0)
    settle_(app, 0.6)
    path = out / "11-history.png"
    window.grab().save(str(path))
    print(path)
    window.panels.toggle_dock("history", False)


def _check_shot(app: Any, window: Any, services: Services, out: Path) -> None:
    """The readiness check of writeJourneyEvent (its token call included) against the sandbox, its
    latency made to vary by a latency fault on part of the calls, with the report and the plot."""
    assert services.sandbox is not None
    services.sandbox.set_fault("inlet", latency_ms=120, rate=0.3, seed=7)
    window.list.select("writeJourneyEvent", quiet=False)
    wait_until(app, lambda: window.pane.saved_name() == "writeJourneyEvent")
    window.open_check()
    dialog = window.panels.request_dialogs[-1]
    dialog.resize(900, 680)
    dialog.duration.setValue(6)
    reports: list[Any] = []
    dialog.finished_check.connect(reports.append)
    dialog.on_start()
    wait_until(app, lambda: bool(reports), 60)
    settle(app)
    path = out / "17-check-report.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.close()
    services.sandbox.clear_faults()


def _import_shot(app: Any, window: Any, services: Services, out: Path) -> None:
    """A Postman collection (folders, variables, auth) imported, and the report of what it could not map."""
    from ui import importexport_ops as ops
    from ui.importexport import report_dialog

    collection = ROOT / "tests" / "data" / "interop" / "postman" / "shop.postman_collection.json"
    done = ops.import_prepared(services, ops.prepare([collection], "postman"))
    dialog = report_dialog(window, done)
    dialog.resize(760, 420)
    dialog.show()
    wait_until(app, dialog.isVisible)
    settle(app)
    path = out / "19-import-report.png"
    dialog.grab().save(str(path))
    print(path)
    dialog.close()


def _finish(app: Any, window: Any, services: Services, tmp: Path) -> int:
    from ui import workers

    window.pane.undo_stack.clear()
    window.pane._dirty = False
    window.close()
    workers.wait_idle()
    services.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _dark_palette(app: Any) -> None:
    """A dark scheme, to check that every colour comes from the palette or the meaning palette."""
    app.setStyle("Fusion")
    app.setPalette(dark_palette())


def dark_palette() -> Any:
    """The dark scheme's QPalette (the tests check contrasts against it too)."""
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette()
    roles = {QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#dfe1e5",
             QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282b",
             QPalette.ColorRole.Text: "#dfe1e5", QPalette.ColorRole.Button: "#2f3134",
             QPalette.ColorRole.ButtonText: "#dfe1e5", QPalette.ColorRole.Highlight: "#2f65ca",
             QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2d30",
             QPalette.ColorRole.ToolTipText: "#dfe1e5", QPalette.ColorRole.PlaceholderText: "#8b8e94",
             QPalette.ColorRole.Link: "#6ea8fe"}
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7c7f85"))
    return pal


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The Authentication section's pages, one per mode: none, Basic, API key, and Custom shown as a
form or as JSON (kept in step by `jsonsync`). The page of the mode shown describes the auth."""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget

from app.model.auth import ApiKeyAuth, BasicAuth, CustomAuth, CustomBody
from ui import icons
from ui.auth.customform import CustomForm
from ui.auth.jsonsync import JsonSync
from ui.auth.pending import PendingSecrets
from ui.auth.simple import ApiKeyForm, BasicForm
from ui.auth.validity import page_auth, page_problems
from ui.focuschain import place_after
from ui.jsonedit import JsonEdit

MODES = (("none", "No authentication"), ("basic", "Basic"), ("apiKey", "API key"), ("customAuthorization", "Custom"))
FORM, JSON = 0, 1  # the custom page's two views


class AuthPages(QStackedWidget):
    """The pages, in the order of MODES; typed secrets go to `pending` (see ui.auth.pending)."""

    edited = Signal()  # text typed on a page (live)
    committed = Signal()  # an edit is complete (a field left, a valid JSON edit read)
    problemsChanged = Signal()  # the problems may differ (an invalid JSON edit, or one fixed)

    def __init__(self, pending: PendingSecrets, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self._mode = "none"
        self._pending = pending
        self.api_key = ApiKeyForm(pending, self)
        # The Basic form takes its place (a bare widget's until then) when first shown or read, as the
        # custom page below is built: most actions use another mode.
        self._basic: Optional[BasicForm] = None
        self._basic_place = QWidget(self)
        # The custom page (its form and JSON view: ~120 widgets, a third of the pane's) is built when
        # first shown or read; an action with another mode never needs it (see _custom_page).
        self._custom: Optional[CustomForm] = None
        self._json: Optional[JsonEdit] = None
        self._json_sync: Optional[JsonSync] = None
        self.custom_views = QStackedWidget(self)
        none_page = QLabel("No authentication: the call is sent without credentials.", self)
        icons.tint(none_page, "quiet")
        for page in (none_page, self._basic_place, self.api_key, self.custom_views):
            self.addWidget(page)
        self.api_key.edited.connect(self.edited)
        self.api_key.committed.connect(self.committed)

    @property
    def basic(self) -> BasicForm:
        """The Basic authentication's form (built on first use, showing an empty Basic auth)."""
        if self._basic is None:
            basic = self._basic = BasicForm(self._pending, self)
            index = self.indexOf(self._basic_place)
            self.removeWidget(self._basic_place)  # the shown page stays shown (it is never this one)
            self._basic_place.deleteLater()
            self.insertWidget(index, basic)
            _fit_to_current(self)
            basic.set_auth(BasicAuth())
            basic.edited.connect(self.edited)
            basic.committed.connect(self.committed)
            # Among the pages only the shown one takes Tab: after the API key's stops, as custom's.
            place_after(self.api_key, basic)
        return self._basic

    @property
    def custom(self) -> CustomForm:
        """The custom authentication's form (built on first use)."""
        return self._custom_page()[0]

    @property
    def json(self) -> JsonEdit:
        """The custom authentication's JSON view (built on first use, with the form)."""
        return self._custom_page()[1]

    def custom_built(self) -> bool:
        return self._custom is not None

    def _custom_page(self) -> tuple[CustomForm, JsonEdit]:
        """Build the custom page the first time: showing an empty custom auth, as every page not of
        the action's mode does; placed in the focus chain where it was when built with the others."""
        if self._custom is not None and self._json is not None:
            return self._custom, self._json
        custom = self._custom = CustomForm(self._pending, self.custom_views)
        json = self._json = JsonEdit(self.custom_views)
        json.setObjectName("authJsonEdit")
        json.setAccessibleName("Custom authentication (JSON)")
        json.setMinimumHeight(220)
        self._json_sync = JsonSync(custom, json, self._pending, self)
        self.custom_views.addWidget(custom)
        self.custom_views.addWidget(json)
        place_after(self.api_key, custom, json)
        custom.edited.connect(self._on_form_edited)
        custom.committed.connect(self.committed)
        json.validated.connect(self._on_json_valid)
        json.problemChanged.connect(self._on_json_problem)
        custom.set_auth(CustomAuth(body=CustomBody()))
        self._json_sync.render(force=True)
        return custom, json

    # -- the mode and the auth ----------------------------------------------------------------
    def mode(self) -> str:
        return self._mode

    def set_auth(self, auth: Any) -> None:
        """Fill every page from `auth` (the others get empty auths of their kind) and show its mode."""
        if isinstance(auth, BasicAuth) or self._basic is not None:  # a page not built yet shows an empty one
            self.basic.set_auth(auth if isinstance(auth, BasicAuth) else BasicAuth())
        self.api_key.set_auth(auth if isinstance(auth, ApiKeyAuth) else ApiKeyAuth())
        if isinstance(auth, CustomAuth) or self.custom_built():  # a page not built yet shows an empty one
            self.custom.set_auth(auth if isinstance(auth, CustomAuth) else CustomAuth(body=CustomBody()))
        self.select(auth.type)
        self.render_json(force=True)

    def set_custom(self, auth: CustomAuth) -> None:
        """A custom auth read from elsewhere (a curl command): shown on the custom page."""
        self.custom.set_auth(auth)
        self.select("customAuthorization")
        self.render_json(force=True)

    def select(self, mode: str) -> None:
        names = [m for m, _ in MODES]
        self._mode = mode if mode in names else "none"
        if self._mode == "customAuthorization":
            self._custom_page()
        elif self._mode == "basic":
            self.basic  # noqa: B018 - built to be shown
        self.setCurrentIndex(names.index(self._mode))
        _fit_to_current(self)

    def auth(self) -> Any:
        """The auth the page of the mode describes, or None when it is not valid."""
        return page_auth(self._mode, self._basic, self.api_key, self._custom)

    def problems(self) -> list[str]:
        return page_problems(self._mode, self._basic, self.api_key, self._custom, self._json)

    # -- the custom page's views ----------------------------------------------------------------
    def show_view(self, view: int) -> None:
        """The custom page as a form (FORM) or as JSON (JSON)."""
        if self.json.problem() is None:  # invalid JSON stays as typed, to be fixed
            self.render_json(force=True)
        self.custom_views.setCurrentIndex(view)
        _fit_to_current(self.custom_views)

    def render_json(self, force: bool = False) -> None:
        if self._json_sync is not None:  # nothing to render before the custom page is built
            self._json_sync.render(force)

    def _on_form_edited(self) -> None:
        self.render_json(force=True)
        self.edited.emit()

    def _on_json_valid(self, data: Any, text: str) -> None:
        """A syntactically valid JSON edit: read it like an import and refill the form."""
        auth = self._json_sync.read(data, text)
        if auth is None:
            self.problemsChanged.emit()
            return
        self.custom.set_auth(auth)
        self.edited.emit()
        self.committed.emit()

    def _on_json_problem(self, _: str) -> None:
        self.problemsChanged.emit()
        if self.json.problem() is not None and not self.json.is_pending():
            self.edited.emit()  # an invalid edit is still an edit: the pane shows it unsaved


def _fit_to_current(stack: QStackedWidget) -> None:
    """Size a stack to its current page (by default it keeps the tallest page's height)."""
    for index in range(stack.count()):
        policy = QSizePolicy.Policy.Preferred if index == stack.currentIndex() else QSizePolicy.Policy.Ignored
        page = stack.widget(index)
        if page is not None:
            page.setSizePolicy(policy, policy)
    stack.updateGeometry()


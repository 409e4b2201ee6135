"""URL configuration: URL, method, headers and query parameters, with the platform's locks."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from app.model import rules
from app.model.base import Model, SecretRef, Value, check_placeholders

Method = Literal["POST", "PUT", "GET"]
Mode = Literal["constant", "variable"]
LOCKED_HEADERS = {"content-type": "application/json", "charset": "utf-8"}


class Param(Model):
    """A header or query parameter: Constant (a fixed value) or Variable (set in the journey)."""

    name: str
    mode: Mode = "constant"
    value: Value = ""
    label: str = ""

    @field_validator("value")
    @classmethod
    def _no_line_breaks(cls, value: Value) -> Value:
        if isinstance(value, str):
            problem = rules.value_problem(value)
            if problem:
                raise ValueError(problem)
            check_placeholders(value)
        return value

    @model_validator(mode="after")
    def _label_for_variables(self) -> "Param":
        if self.mode == "variable" and not self.label.strip():
            # The platform shows the label to journey authors; default it to the name.
            object.__setattr__(self, "label", self.name)
        return self

    @property
    def is_secret(self) -> bool:
        return isinstance(self.value, SecretRef)


class Endpoint(Model):
    """Where and how the action calls: URL (may hold {{vars}}), method, headers, query."""

    url: str = "https://"
    method: Method = "POST"
    headers: list[Param] = Field(default_factory=list, validate_default=True)
    query: list[Param] = Field(default_factory=list)

    @field_validator("method", mode="before")
    @classmethod
    def _method(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.upper()
            if value == "DELETE":
                raise ValueError("DELETE is not supported by the platform's custom actions (POST, PUT or GET)")
            if value not in ("POST", "PUT", "GET"):
                raise ValueError(f"method {value} is not supported; use POST, PUT or GET")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        check_placeholders(url)
        problem = rules.template_url_problem(url)
        if problem:
            raise ValueError(problem)
        return url

    @field_validator("headers")
    @classmethod
    def _headers(cls, headers: list[Param]) -> list[Param]:
        _check_names(headers, "header")
        return _with_locked_headers(headers)

    @field_validator("query")
    @classmethod
    def _query(cls, query: list[Param]) -> list[Param]:
        _check_names(query, "query parameter")
        return query

    def warnings(self) -> list[str]:
        """Non-blocking advice about the URL (http, raw IP, port), for a concrete or template URL."""
        if rules.LEADING_VAR.match(self.url):
            return []
        return rules.url_warnings(self.url)


def _check_names(params: list[Param], what: str) -> None:
    seen: set[str] = set()
    for i, param in enumerate(params):
        problem = rules.http_name_problem(param.name, "header" if what == "header" else what)
        if problem:
            raise ValueError(f"{what} {i + 1} ({param.name!r}): {problem}")
        key = param.name.lower()
        if key in seen:
            raise ValueError(f"{what} {param.name!r} appears twice")
        seen.add(key)


def _with_locked_headers(headers: list[Param]) -> list[Param]:
    """Content-Type and Charset always exist, first, constant; only Content-Type's value may change."""
    by_name = {h.name.lower(): h for h in headers}
    locked = []
    for key, default in LOCKED_HEADERS.items():
        given = by_name.get(key)
        shown = "Content-Type" if key == "content-type" else "Charset"
        if given is not None and given.mode != "constant":
            raise ValueError(f"the {shown} header is locked as Constant")
        if key == "charset" and given is not None and str(given.value).lower() not in ("utf-8", ""):
            raise ValueError("the Charset header is locked to utf-8")
        value = given.value if key == "content-type" and given is not None and given.value else default
        locked.append(Param(name=shown, mode="constant", value=value))
    return locked + [h for h in headers if h.name.lower() not in LOCKED_HEADERS]


def is_locked_header(name: str) -> bool:
    return name.lower() in LOCKED_HEADERS

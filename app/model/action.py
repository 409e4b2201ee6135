"""The custom action: name, description, endpoint, authentication, payloads."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Iterator, Optional

from pydantic import Field, field_validator, model_validator

from app.model import rules
from app.model.auth import Auth, NoAuth
from app.model.base import Model, SecretRef, Value
from app.model.endpoint import Endpoint
from app.model.payload import Payload

FORMAT = "action-studio/action@1"


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Action(Model):
    """One custom action, in the native on-disk format (camelCase JSON)."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    name: str
    description: str = ""
    created: datetime = Field(default_factory=now)
    modified: datetime = Field(default_factory=now)
    endpoint: Endpoint = Field(default_factory=Endpoint)
    auth: Auth = Field(default_factory=NoAuth)
    request: Optional[Payload] = None
    response: Optional[Payload] = None
    error_response: Optional[Payload] = None
    allow_null: bool = False
    timeout_seconds: float = 30.0

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        problem = rules.name_problem(name)
        if problem:
            raise ValueError(problem)
        return name

    @field_validator("timeout_seconds")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if not 1 <= value <= 30:
            raise ValueError("the timeout must be between 1 and 30 seconds")
        return value

    @model_validator(mode="after")
    def _request_needs_body_method(self) -> "Action":
        if self.request is not None and self.endpoint.method == "GET":
            raise ValueError("a request payload needs POST or PUT; GET sends no body")
        return self

    def secret_refs(self) -> Iterator[SecretRef]:
        """Every secret reference the action holds (for cleanup, export masking, copying)."""
        yield from _refs_in(self.auth.model_dump().values())
        for param in [*self.endpoint.headers, *self.endpoint.query]:
            if isinstance(param.value, SecretRef):
                yield param.value


def _refs_in(values: Any) -> Iterator[SecretRef]:
    """SecretRefs inside a dumped model (dicts with a single 'secret' key)."""
    stack = list(values) if not isinstance(values, dict) else [values]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if set(item) == {"secret"} and isinstance(item["secret"], str):
                yield SecretRef(secret=item["secret"])
            else:
                stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def value_text(value: Value) -> str:
    """A value for display: secrets masked."""
    return str(value)

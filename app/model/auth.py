"""Authentication modes: none, basic, API key, and the platform's customAuthorization document."""
from __future__ import annotations

import re
from typing import Annotated, Literal, Optional, Union

from pydantic import BeforeValidator, Field, field_validator, model_validator

from app.model import rules
from app.model.base import Model, SecretRef, Value, check_placeholders

TIME_UNITS = ("milliseconds", "seconds", "minutes", "hours", "days", "months", "years")
TimeUnit = Literal["milliseconds", "seconds", "minutes", "hours", "days", "months", "years"]
_JSON_PATH = re.compile(r"^json://[^\s]+$")


class NoAuth(Model):
    type: Literal["none"] = "none"


class BasicAuth(Model):
    type: Literal["basic"] = "basic"
    username: str = ""
    password: Value = ""


class ApiKeyAuth(Model):
    type: Literal["apiKey"] = "apiKey"
    name: str = "x-api-key"
    value: Value = ""
    location: Literal["header", "query"] = "header"

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        problem = rules.http_name_problem(name, "header")
        if problem:
            raise ValueError(problem)
        return name


def flat_text(what: str) -> BeforeValidator:
    """Header and body values are text or a {secret} reference: one that is neither is said in one
    line (instead of pydantic's three about the union), at its own key's path (body.bodyParams.a)."""

    def check(value: object) -> object:
        if not isinstance(value, (str, SecretRef)) and not (isinstance(value, dict) and set(value) == {"secret"}):
            kind = "null" if value is None else {dict: "an object", list: "a list",
                                                 bool: "true/false"}.get(type(value), "a number")
            raise ValueError(f"the {what} is {kind}; custom authentication sends flat text values: "
                             "write it as text (a JSON string if need be) or a {{variable}}")
        return value

    return BeforeValidator(check)


FlatParam = Annotated[Value, flat_text("body parameter")]
FlatHeader = Annotated[Value, flat_text("header")]


class CustomBody(Model):
    body_type: Literal["form", "json"] = "form"
    body_params: dict[str, FlatParam] = Field(default_factory=dict)


class CacheDuration(Model):
    """How long a token stays good: a fixed duration, or read from the token response."""

    duration: Optional[int] = None
    expiry_in_response: Optional[str] = None
    time_unit: TimeUnit = "seconds"

    @field_validator("time_unit", mode="before")
    @classmethod
    def _unit(cls, unit: object) -> object:
        if isinstance(unit, str) and unit.lower() in TIME_UNITS:
            return unit.lower()
        if isinstance(unit, str):
            raise ValueError(f"time unit {unit!r} is not one of {', '.join(TIME_UNITS)}")
        return unit

    @model_validator(mode="after")
    def _exactly_one(self) -> "CacheDuration":
        if (self.duration is None) == (self.expiry_in_response is None):
            raise ValueError("give exactly one of duration and expiryInResponse")
        if self.duration is not None and self.duration <= 0:
            raise ValueError("duration must be a positive whole number")
        if self.expiry_in_response is not None and not _JSON_PATH.match(self.expiry_in_response):
            raise ValueError("expiryInResponse must look like json://path.to.expiry")
        return self


class CustomAuth(Model):
    """The platform's customAuthorization JSON, field for field."""

    type: Literal["customAuthorization"] = "customAuthorization"
    endpoint: str = "https://"
    method: Literal["GET", "POST"] = "POST"
    headers: dict[str, FlatHeader] = Field(default_factory=dict)
    body: Optional[CustomBody] = None
    token_in_response: str = "json://access_token"
    cache_duration: Optional[CacheDuration] = None
    authorization_type: Literal["bearer", "header", "queryParam"] = "bearer"
    token_target: Optional[str] = None

    @field_validator("method", mode="before")
    @classmethod
    def _method(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("authorization_type", mode="before")
    @classmethod
    def _auth_type(cls, value: object) -> object:
        # The seed writes "Bearer"; the platform accepts any case.
        known = {"bearer": "bearer", "header": "header", "queryparam": "queryParam"}
        if isinstance(value, str):
            if value.lower() not in known:
                raise ValueError(f"authorizationType {value!r} is not one of bearer, header, queryParam")
            return known[value.lower()]
        return value

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, url: str) -> str:
        check_placeholders(url)
        problem = rules.template_url_problem(url)  # the action URL's rules: https, a host, no #fragment
        if problem:
            raise ValueError(problem)
        return url

    @field_validator("token_in_response")
    @classmethod
    def _token_path(cls, value: str) -> str:
        if value != "response" and not _JSON_PATH.match(value):
            raise ValueError('tokenInResponse must be "response" or json://path.to.token')
        return value

    @field_validator("headers")
    @classmethod
    def _header_names(cls, headers: dict[str, Value]) -> dict[str, Value]:
        for name, value in headers.items():
            problem = rules.http_name_problem(name, "header") or (
                rules.value_problem(value) if isinstance(value, str) else None
            )
            if problem:
                raise ValueError(f"header {name!r}: {problem}")
        return headers

    @model_validator(mode="after")
    def _consistent(self) -> "CustomAuth":
        if self.method == "POST" and self.body is None:
            raise ValueError("body is required when method is POST (bodyType form or json, and bodyParams)")
        if self.authorization_type in ("header", "queryParam") and not self.token_target:
            raise ValueError(f"tokenTarget is required when authorizationType is {self.authorization_type}")
        return self

    def cache_seconds(self) -> Optional[float]:
        """The fixed cache duration in seconds, or None when it comes from the response."""
        cache = self.cache_duration
        if cache is None:
            return 3600.0  # the platform's default: one hour
        if cache.duration is None:
            return None
        return cache.duration * UNIT_SECONDS[cache.time_unit]


UNIT_SECONDS = {
    "milliseconds": 0.001,
    "seconds": 1.0,
    "minutes": 60.0,
    "hours": 3600.0,
    "days": 86400.0,
    "months": 30 * 86400.0,
    "years": 365 * 86400.0,
}

Auth = Annotated[Union[NoAuth, BasicAuth, ApiKeyAuth, CustomAuth], Field(discriminator="type")]

"""Environments: named sets of {{variables}}; one is active; secret values live in the keyring."""
from __future__ import annotations

import re

from pydantic import Field, field_validator

from app.model.base import Model, Value

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class Variable(Model):
    name: str
    value: Value = ""

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not _VAR.match(name):
            raise ValueError(f"variable name {name!r}: start with a letter or _, then letters, digits, _ . -")
        return name


class Environment(Model):
    name: str
    variables: list[Variable] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not name.strip() or "/" in name or "\\" in name:
            raise ValueError("an environment name must be non-empty and hold no slash")
        return name

    @field_validator("variables")
    @classmethod
    def _unique(cls, variables: list[Variable]) -> list[Variable]:
        seen = set()
        for var in variables:
            if var.name in seen:
                raise ValueError(f"variable {var.name!r} appears twice")
            seen.add(var.name)
        return variables

    def get(self, name: str) -> Value | None:
        return next((v.value for v in self.variables if v.name == name), None)

    def set(self, name: str, value: Value) -> None:
        for var in self.variables:
            if var.name == name:
                var.value = value
                return
        self.variables = [*self.variables, Variable(name=name, value=value)]


class EnvironmentSet(Model):
    """All environments of a workspace and which one is active."""

    active: str = ""
    environments: list[Environment] = Field(default_factory=list)

    def current(self) -> Environment | None:
        return next((e for e in self.environments if e.name == self.active), None)

    def by_name(self, name: str) -> Environment | None:
        return next((e for e in self.environments if e.name == name), None)

"""The auth the chosen mode's page describes, and the problems to list under it.

Problems are the model's validation errors with their `authentication.` path, an invalid JSON
edit, and secrets the keyring no longer has.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import ValidationError

from app.model.auth import CustomAuth, NoAuth
from app.model.base import error_lines
from app.transfer import is_missing
from ui.auth.customform import CustomForm
from ui.auth.pending import secret_places
from ui.auth.simple import ApiKeyForm, BasicForm
from ui.jsonedit import JsonEdit


def page_auth(mode: str, basic: Optional[BasicForm], api_key: ApiKeyForm, custom: Optional[CustomForm]) -> Any:
    """The auth from the page of `mode`, or None when it is not valid (`basic`, `custom`: None until
    that page is built, which showing its mode does)."""
    try:
        if mode == "basic":
            assert basic is not None, "the basic page is built when its mode is shown"
            return basic.auth()
        if mode == "apiKey":
            return api_key.auth()
        if mode == "customAuthorization":
            assert custom is not None, "the custom page is built when its mode is shown"
            return CustomAuth.model_validate(custom.document())
        return NoAuth()
    except ValidationError:
        return None


def page_problems(mode: str, basic: Optional[BasicForm], api_key: ApiKeyForm, custom: Optional[CustomForm],
                  json: Optional[JsonEdit]) -> list[str]:
    """What is wrong with the page of `mode`, one line each ("authentication.password: ...")."""
    out: list[str] = []
    try:
        if mode == "basic":
            assert basic is not None, "the basic page is built when its mode is shown"
            out += basic.problems()
        elif mode == "apiKey":
            api_key.auth()
            out += api_key.problems()
        elif mode == "customAuthorization":
            assert custom is not None and json is not None, "the custom page is built when its mode is shown"
            problem = json.problem()
            if problem is not None:
                out.append(f"authentication JSON: {problem}")
            auth = CustomAuth.model_validate(custom.document())
            out += [f"authentication.{path}: the secret is not in the keyring; type it again"
                    for path, ref in secret_places(auth) if is_missing(ref)]
    except ValidationError as exc:
        out += [_prefixed(line) for line in error_lines(exc)]
    return out


def _prefixed(line: str) -> str:
    path, _, reason = line.partition(": ")
    return f"authentication: {reason}" if path == "(action)" else f"authentication.{path}: {reason}"

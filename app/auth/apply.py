"""Turn an authentication into the headers and query parameters an action call carries."""
from __future__ import annotations

from typing import Union

from app.auth.encode import b64
from app.auth.errors import AuthError
from app.auth.request import guarded, resolve_value
from app.masking import mask_value
from app.model.auth import ApiKeyAuth, BasicAuth, CustomAuth, NoAuth
from app.resolve import Resolver

Credentials = tuple[dict[str, str], dict[str, str]]
StaticAuth = Union[NoAuth, BasicAuth, ApiKeyAuth]


def apply_token(auth: CustomAuth, token: str) -> Credentials:
    """bearer: Authorization: Bearer <t>; header: <tokenTarget>: <t>; queryParam: ?<tokenTarget>=<t>."""
    if auth.authorization_type == "bearer":
        return {"Authorization": f"Bearer {token}"}, {}
    if not auth.token_target:  # the model refuses this; kept for objects built without validation
        raise AuthError(f"tokenTarget is required when authorizationType is {auth.authorization_type}")
    if auth.authorization_type == "header":
        return {auth.token_target: token}, {}
    return {}, {auth.token_target: token}


def static_credentials(auth: StaticAuth, resolver: Resolver) -> tuple[Credentials, set[str]]:
    """Credentials of none/basic/apiKey, and the sensitive strings in them (for masking)."""
    if isinstance(auth, NoAuth):
        return ({}, {}), set()
    encoded: set[str] = set()
    if isinstance(auth, BasicAuth):
        user = guarded("the basic username", lambda: resolver.text(auth.username, "the basic username"))
        password, _ = resolve_value(auth.password, resolver, "the basic password", encoded)
        if ":" in user:
            raise AuthError("the basic username contains ':', which basic authentication cannot carry")
        value = b64(f"{user}:{password}")
        return ({"Authorization": f"Basic {value}"}, {}), {value, password}
    value, _ = resolve_value(auth.value, resolver, f"the API key {auth.name}", encoded)
    if not value:
        raise AuthError(f"the API key {auth.name} has no value: enter it in the authentication section")
    creds: Credentials = ({auth.name: value}, {}) if auth.location == "header" else ({}, {auth.name: value})
    return creds, {value} | encoded


def masked(creds: Credentials, sensitive: set[str] | frozenset[str]) -> dict[str, dict[str, str]]:
    """What a test result may show of credentials: every sensitive string replaced by the mask."""
    headers, params = creds
    return {
        "headers": {k: mask_value(v, sensitive, secret=True) for k, v in headers.items()},
        "params": {k: mask_value(v, sensitive, secret=True) for k, v in params.items()},
    }

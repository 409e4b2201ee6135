"""Resolving {{variables}}: a line break can never reach a header or URL, and a missing variable
says which environment it was looked up in."""
from __future__ import annotations

import pytest

from app.auth import AuthError
from app.auth.request import build_request
from app.model import CustomAuth, Environment, Variable
from app.resolve import MissingVariable, Resolver, UnsafeValue

INJECTED = "k1\r\nX-Injected: yes"


def test_a_line_break_from_a_variable_names_the_header_and_the_variable(secrets) -> None:
    resolver = Resolver(secrets, overrides={"appKey": INJECTED})
    with pytest.raises(UnsafeValue) as info:
        resolver.value("{{appKey}}", "header X-UA-Appkey")
    message = str(info.value)
    assert message.startswith("header X-UA-Appkey: the variable {{appKey}} holds a line break (CR/LF)")
    assert "Injected" not in message  # the value itself is never shown
    assert resolver.text("{{appKey}}", "payload field body.note") == INJECTED  # a JSON body may hold it


@pytest.mark.parametrize("where", ["the URL", "query parameter q", "the dynamic path", "the token endpoint URL"])
def test_every_one_line_place_refuses_control_characters(secrets, where: str) -> None:
    with pytest.raises(UnsafeValue, match="holds a control character \\(U\\+0000\\)"):
        Resolver(secrets, overrides={"v": "a\x00b"}).text("x{{v}}", where)
    with pytest.raises(UnsafeValue, match=f"^{where} holds a line break"):
        Resolver(secrets).text("a\nb", where)


def test_a_secret_with_a_line_break_is_refused_in_a_header(secrets) -> None:
    ref = secrets.put("Bearer abc\ndef", hint="t")
    with pytest.raises(UnsafeValue, match="^header Authorization: the secret holds a line break"):
        Resolver(secrets).value(ref, "header Authorization")


def test_the_token_request_says_which_header_once(secrets) -> None:
    auth = CustomAuth(endpoint="https://t.example/token", method="GET", headers={"x-app": "{{appKey}}"})
    with pytest.raises(AuthError) as info:
        build_request(auth, Resolver(secrets, overrides={"appKey": INJECTED}))
    assert str(info.value).startswith("header x-app: the variable {{appKey}} holds a line break")
    assert str(info.value).count("header x-app") == 1


def test_a_missing_variable_names_the_environment(secrets) -> None:
    env = Environment(name="production", variables=[Variable(name="other", value="1")])
    with pytest.raises(MissingVariable, match=r"\(set it in environment 'production' or with --var\)"):
        Resolver(secrets, env).text("{{baseUrl}}/x", "the URL")
    with pytest.raises(MissingVariable, match=r"\(no environment is active: choose one, or set it with --var\)"):
        Resolver(secrets).text("{{baseUrl}}/x", "the URL")

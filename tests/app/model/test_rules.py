"""Each platform rule with a valid and an invalid case, errors naming the field path."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.model import Action, CustomAuth, Endpoint, Param, error_lines
from app.model.rules import WINDOWS_RESERVED, http_name_problem, name_problem, url_problem, url_warnings


@pytest.mark.parametrize("name", ["a", "writeJourneyEvent", "A_1", "x" * 30, "_", "123", "CONSOLE", "COM10", "nul_1",
                                  "LPT"])
def test_valid_names(name: str) -> None:
    assert name_problem(name) is None
    assert Action(name=name).name == name


@pytest.mark.parametrize(
    "name, reason",
    [("", "empty"), ("x" * 31, "31 characters"), ("has space", "space"), ("dash-ed", "'-'"),
     ("café", "'é'"), ("a.b", "'.'"), ("tab\there", "'\\t'"), ("CON", "device name Windows reserves"),
     ("aux", "aux is a device name"), ("Com1", "cannot be a file name"), ("LPT9", "Windows reserves"), ("nul", "Windows reserves")],
)
def test_invalid_names(name: str, reason: str) -> None:
    problem = name_problem(name)
    assert problem and reason in problem
    with pytest.raises(ValidationError) as info:
        Action(name=name)
    assert error_lines(info.value)[0].startswith("name: ")


@given(st.text(max_size=40))
def test_name_rule_matches_the_definition(name: str) -> None:
    ok = 1 <= len(name) <= 30 and all(c.isascii() and (c.isalnum() or c == "_") for c in name) \
        and name.upper() not in WINDOWS_RESERVED
    assert (name_problem(name) is None) == ok


def test_method_delete_is_refused_with_the_platform_reason() -> None:
    with pytest.raises(ValidationError) as info:
        Endpoint(url="https://api.example.com", method="DELETE")
    assert "DELETE is not supported" in str(info.value)
    assert Endpoint(url="https://api.example.com", method="put").method == "PUT"
    with pytest.raises(ValidationError, match="PATCH is not supported"):
        Endpoint(url="https://api.example.com", method="PATCH")


def test_locked_headers_always_present_and_first() -> None:
    endpoint = Endpoint(url="https://api.example.com", headers=[Param(name="x-id", value="1")])
    assert [h.name for h in endpoint.headers] == ["Content-Type", "Charset", "x-id"]
    changed = Endpoint(url="https://a.example", headers=[Param(name="content-type", value="application/vnd.x+json")])
    assert changed.headers[0].value == "application/vnd.x+json"
    with pytest.raises(ValidationError, match="Charset header is locked"):
        Endpoint(url="https://a.example", headers=[Param(name="Charset", value="latin-1")])
    with pytest.raises(ValidationError, match="locked as Constant"):
        Endpoint(url="https://a.example", headers=[Param(name="Content-Type", mode="variable", label="ct")])


@pytest.mark.parametrize("name, reason", [
    ("has space", "space"), ("a:b", "':'"), (".dot", "start with '.'"), ("$x", "start with '$'"),
    ("", "empty"), ("new\nline", "LF"),
])
def test_header_names_are_tokens(name: str, reason: str) -> None:
    assert reason in (http_name_problem(name) or "")
    with pytest.raises(ValidationError) as info:
        Action.model_validate({"name": "a", "endpoint": {"url": "https://x.example", "headers": [{"name": name, "value": "v"}]}})
    assert "endpoint.headers" in error_lines(info.value)[0]


def test_header_values_refuse_line_breaks_and_duplicates() -> None:
    with pytest.raises(ValidationError, match="line break"):
        Param(name="x", value="a\r\nInjected: 1")
    with pytest.raises(ValidationError, match="appears twice"):
        Endpoint(url="https://x.example", headers=[Param(name="x-a"), Param(name="X-A")])


def test_query_parameters_follow_the_same_rules() -> None:
    assert Endpoint(url="https://x.example", query=[Param(name="page size", value="1")]).query[0].name == "page size"
    with pytest.raises(ValidationError, match=r"start with '\$'"):
        Endpoint(url="https://x.example", query=[Param(name="$top")])


def test_variable_params_get_a_label() -> None:
    assert Param(name="x-request-id", mode="variable").label == "x-request-id"
    assert Param(name="x", mode="variable", label="Request id").label == "Request id"


@pytest.mark.parametrize("url", ["https://api.example.com/v1", "http://127.0.0.1:8080/x", "{{baseUrl}}/collection/{{id}}",
                                 "https://h.example/p?q=1"])
def test_valid_urls(url: str) -> None:
    assert Endpoint(url=url).url == url


@pytest.mark.parametrize("url, reason", [
    ("ftp://x.example", "scheme"), ("https://", None), ("https://exa mple.com", "spaces"),
    ("https://x.example:99999", "malformed"), ("{{baseUrl/x", "malformed {{variable}}"), ("https://x.example/#frag", "fragment"),
])
def test_invalid_urls(url: str, reason: str | None) -> None:
    if reason is None:  # an unfinished URL is allowed while editing; it fails at call time
        assert Endpoint(url=url)
        assert url_problem(url) == "the URL has no host"
        return
    with pytest.raises(ValidationError) as info:
        Endpoint(url=url)
    assert reason in str(info.value)


@pytest.mark.parametrize("url, reason", [
    ("javascript:alert(1)", "the URL scheme is 'javascript'"), ("http://javascript:alert(1)", "the URL is malformed"),
    ("ftp://x.example/t", "the URL scheme is 'ftp'"), ("https://exa mple.com/t", "the URL contains spaces"),
    ("https://x.example/t#f", "the URL has a #fragment"), ("https:///token", "the URL has no host"),
])
def test_token_endpoint_urls_follow_the_action_url_rules(url: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Action.model_validate({"name": "a", "auth": {"type": "customAuthorization", "endpoint": url, "method": "GET"}})
    assert "auth.endpoint: " + reason in "\n".join(error_lines(info.value))


@pytest.mark.parametrize("url", ["{{baseUrl}}/ims/token/v3", "https://ims.example/token?x=1", "https://",
                                 "http://127.0.0.1:8080/t"])
def test_token_endpoint_urls_that_save(url: str) -> None:
    assert CustomAuth(endpoint=url, method="GET").endpoint == url


def test_url_warnings_where_the_platform_would_refuse() -> None:
    assert url_warnings("https://api.example.com/x") == []
    assert any("plain http" in w for w in url_warnings("http://api.example.com"))
    assert any("raw IP" in w for w in url_warnings("https://10.1.2.3/x"))
    assert any("port 8443" in w for w in url_warnings("https://api.example.com:8443"))
    local = url_warnings("http://127.0.0.1:5000/x")
    assert not any("plain http" in w or "raw IP" in w for w in local)
    assert any("fine for the local sandbox" in w for w in local)


SEED_AUTH = {
    "type": "customAuthorization", "authorizationType": "Bearer",
    "endpoint": "https://ims-na1.adobelogin.com/ims/token/v3", "method": "POST", "headers": {},
    "body": {"bodyType": "form", "bodyParams": {"grant_type": "client_credentials", "client_secret": "********",
                                                "client_id": "<client_id>", "scope": "openid"}},
    "tokenInResponse": "json://access_token", "cacheDuration": {"duration": 28000, "timeUnit": "seconds"},
}


def test_seed_custom_auth_is_accepted_case_insensitively() -> None:
    auth = CustomAuth.model_validate(SEED_AUTH)
    assert auth.authorization_type == "bearer"
    assert auth.cache_seconds() == 28000
    assert CustomAuth.model_validate({**SEED_AUTH, "authorizationType": "QUERYPARAM", "tokenTarget": "t"}).authorization_type == "queryParam"


@pytest.mark.parametrize("change, reason", [
    ({"body": None}, "body is required when method is POST"),
    ({"authorizationType": "header"}, "tokenTarget is required"),
    ({"cacheDuration": {"duration": 1, "expiryInResponse": "json://exp", "timeUnit": "seconds"}}, "exactly one"),
    ({"cacheDuration": {"timeUnit": "seconds"}}, "exactly one"),
    ({"cacheDuration": {"duration": 5, "timeUnit": "fortnights"}}, "fortnights"),
    ({"tokenInResponse": "access_token"}, "tokenInResponse"),
    ({"authorizationType": "cookie"}, "cookie"),
    ({"method": "PUT"}, "method"),
])
def test_custom_auth_rules(change: dict, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        Action.model_validate({"name": "a", "auth": {**SEED_AUTH, **change}})
    text = "; ".join(error_lines(info.value))
    assert reason in text
    assert text.startswith("auth")


def test_get_with_no_body_and_default_cache() -> None:
    auth = CustomAuth.model_validate({**SEED_AUTH, "method": "GET", "body": None, "cacheDuration": None})
    assert auth.cache_seconds() == 3600
    months = CustomAuth.model_validate({**SEED_AUTH, "cacheDuration": {"expiryInResponse": "json://expires_in", "timeUnit": "Seconds"}})
    assert months.cache_seconds() is None


def test_request_payload_needs_post_or_put() -> None:
    with pytest.raises(ValidationError, match="needs POST or PUT"):
        Action.model_validate({"name": "a", "endpoint": {"url": "https://x.example", "method": "GET"},
                               "request": {"example": "{}", "fields": []}})


def test_timeout_range() -> None:
    assert Action(name="a", timeout_seconds=1).timeout_seconds == 1
    with pytest.raises(ValidationError, match="between 1 and 30"):
        Action(name="a", timeout_seconds=31)

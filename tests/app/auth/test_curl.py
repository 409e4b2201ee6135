"""cURL import: the seed's command, real-world variants, bad input, never crashing; and to_curl."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.auth import CurlError, parse_curl, to_curl
from app.model import MASK, SecretRef
from tests.app.auth.conftest import resolver_for

SEED = next((Path(__file__).resolve().parents[2] / "seeds").glob("000_*.txt"))  # a copy of shared/seeds/000
SCOPE = "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session"
FORM = {"grant_type": "client_credentials", "client_id": "1234", "client_secret": MASK, "scope": SCOPE}


def seed_command() -> str:
    return re.search(r"^curl .*$", SEED.read_text("utf-8"), re.M).group(0)


def test_the_seed_imports_exactly():
    imported = parse_curl(seed_command())
    auth = imported.auth
    assert auth.endpoint == "https://ims-na1.adobelogin.com/ims/token/v3"
    assert auth.method == "POST" and auth.headers == {}
    assert auth.body.body_type == "form" and auth.body.body_params == FORM
    assert auth.token_in_response == "json://access_token" and auth.cache_duration is None
    assert auth.authorization_type == "bearer"
    assert imported.secrets == {"client_secret": "5678"}
    assert imported.ignored == [] and imported.warnings == []
    assert "5678" not in repr(imported) and "5678" not in str(imported.to_dict())


def test_secrets_go_to_the_store(store):
    auth = parse_curl(seed_command()).with_secrets_stored(store)
    ref = auth.body.body_params["client_secret"]
    assert isinstance(ref, SecretRef) and store.get(ref) == "5678"
    assert "5678" not in auth.model_dump_json()


VARIANTS = [
    # multi-line with backslashes, double quotes, flags that are listed as ignored
    ("curl -sS --compressed -X POST \\\n  \"https://ims-na1.adobelogin.com/ims/token/v3\" \\\n"
     "  -H \"Content-Type: application/x-www-form-urlencoded\" \\\n"
     f"  -d \"grant_type=client_credentials\" -d 'client_id=1234' -d client_secret=5678 -d 'scope={SCOPE}'",
     FORM, ["-s", "-S", "--compressed"]),
    # --data-urlencode, --url at the end, POST implied by data
    (f"curl --data-urlencode 'grant_type=client_credentials' --data-urlencode client_id=1234 "
     f"--data-urlencode 'client_secret=5678' --data-urlencode 'scope={SCOPE}' "
     "--url https://ims-na1.adobelogin.com/ims/token/v3", FORM, []),
    # --data-raw, attached short option values, -k and -v
    (f"curl -XPOST -k -v https://ims-na1.adobelogin.com/ims/token/v3 --data-raw "
     f"'grant_type=client_credentials&client_id=1234&client_secret=5678&scope={SCOPE}'", FORM, ["-k", "-v"]),
    # Windows cmd with ^ continuations
    ("curl -X POST \"https://ims-na1.adobelogin.com/ims/token/v3\" ^\n -H \"Content-Type: "
     "application/x-www-form-urlencoded\" ^\n"
     f" -d \"grant_type=client_credentials&client_id=1234&client_secret=5678&scope={SCOPE}\"", FORM, []),
    # PowerShell backticks
    ("curl.exe -X POST 'https://ims-na1.adobelogin.com/ims/token/v3' `\n"
     f"  -d 'grant_type=client_credentials&client_id=1234&client_secret=5678&scope={SCOPE}'", FORM, []),
    # $'...' quotes and a prompt
    (f"$ curl $'https://ims-na1.adobelogin.com/ims/token/v3' -d $'grant_type=client_credentials&client_id=1234"
     f"&client_secret=5678&scope={SCOPE}'", FORM, []),
]


@pytest.mark.parametrize("command, params, ignored", VARIANTS)
def test_real_world_variants(command, params, ignored):
    imported = parse_curl(command)
    assert imported.auth.endpoint == "https://ims-na1.adobelogin.com/ims/token/v3"
    assert imported.auth.method == "POST"
    assert imported.auth.body.body_params == params
    assert imported.secrets == {"client_secret": "5678"}
    assert imported.ignored == ignored


def test_user_becomes_a_basic_header_with_encode_base64():
    imported = parse_curl("curl -u 'my-client:s3cret' -d grant_type=client_credentials https://idp.example/oauth/token")
    assert imported.auth.headers == {"Authorization": MASK}
    assert imported.secrets["Authorization"] == "Basic EncodeBase64(my-client:s3cret)"
    assert imported.auth.body.body_params == {"grant_type": "client_credentials"}


def test_header_with_a_colon_in_its_value_and_json_body():
    imported = parse_curl("""curl https://idp.example/token -H 'X-Trace: a:b:c' -H "Accept: application/json" \\
        -H 'Content-Type: application/json' -d '{"client_id": "abc", "client_secret": "xyz", "ttl": 3}'""")
    auth = imported.auth
    assert auth.headers == {"X-Trace": "a:b:c", "Accept": "application/json"}
    assert auth.body.body_type == "json"
    assert auth.body.body_params == {"client_id": "abc", "client_secret": MASK, "ttl": "3"}
    assert imported.secrets == {"client_secret": "xyz"}
    assert any("ttl" in w for w in imported.warnings)


def test_json_option_get_and_query_string():
    assert parse_curl("curl --json '{\"a\": \"b\"}' https://x.example/t").auth.body.body_type == "json"
    get = parse_curl("curl -G https://x.example/t?x=1 -d a=b -d c=d")
    assert get.auth.method == "GET" and get.auth.body is None
    assert get.auth.endpoint == "https://x.example/t?x=1&a=b&c=d"
    plain = parse_curl("curl 'https://x.example/token?aud=api'")
    assert plain.auth.method == "GET" and plain.auth.endpoint == "https://x.example/token?aud=api"


def test_cookies_and_files_are_listed_not_dropped():
    imported = parse_curl("curl -b 'sid=1' -H 'Cookie: a=b' -d @body.txt -X POST https://x.example/t | jq .")
    assert "-b" in imported.ignored and "-H Cookie" in imported.ignored and "-d @body.txt" in imported.ignored
    assert any("jq" in w for w in imported.warnings)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("wget https://x.example", "not a curl command"),
    ("curl -X POST 'https://x.example/t", "unclosed single quote (') opened at line 1, column 14"),
    ('curl -d "a=b', 'unclosed double quote'),
    ("curl -X POST -d a=b", "no URL found"),
    ("curl https://x.example -H", "option -H (word 3) needs a value"),
    ("curl ftp://x.example/file", "the URL scheme is 'ftp'"),
    ("curl javascript:alert(1)", "uses the scheme 'javascript'; the token endpoint must be an http(s) URL"),
    ("curl 'data:text/html,<b>x</b>'", "uses the scheme 'data'"),
    ("curl http://javascript:alert(1)", "cannot be used: the URL is malformed"),
    ("curl -d a=b 'https://x.example/t#part'", "#fragment"),
    ("curl https://x.example -H 'Content-Type: application/json' -d '{bad'", "not valid JSON"),
])
def test_bad_input_says_what_and_where(text, message):
    with pytest.raises(CurlError) as info:
        parse_curl(text)
    assert message in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_curl_error(text):
    for candidate in (text, "curl " + text, "curl https://x.example " + text):
        try:
            parse_curl(candidate)
        except CurlError:
            pass


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["-X", "POST", "-H", "-d", "a=b", "'", '"', "\\\n", "^\n", "`\n", "--url", "-u",
                                 "x:y", "--json", "{", "}", "https://h.example/t", "-G", "$'", "--data-urlencode",
                                 "=", "@f", "|", "&&", "-kvs", "-XGET", "Content-Type: application/json"]),
                max_size=12))
def test_curl_like_word_soup_raises_only_curl_error(words):
    try:
        parse_curl("curl " + " ".join(words))
    except CurlError:
        pass


def test_to_curl_masks_secrets_and_round_trips(store, sandbox):
    auth = parse_curl(seed_command().replace("https://ims-na1.adobelogin.com", "{{baseUrl}}")).with_secrets_stored(store)
    resolver = resolver_for(store, sandbox.base_url)
    masked = to_curl(auth, resolver)
    assert "5678" not in masked and "client_secret=********" in masked
    revealed = to_curl(auth, resolver, reveal=True)
    assert "client_secret=5678" in revealed
    again = parse_curl(revealed)
    assert again.auth.endpoint == f"{sandbox.base_url}/ims/token/v3"
    assert again.auth.body.body_params == FORM and again.secrets == {"client_secret": "5678"}


def test_the_seed_s_vendor_host_can_be_written_as_its_variable():
    from app.auth import host_offer, use_host_variable

    offer = host_offer(seed_command())
    assert (offer.origin, offer.placeholder) == ("https://ims-na1.adobelogin.com", "{{imsUrl}}")
    text, used = use_host_variable(seed_command())
    assert used == offer and parse_curl(text).auth.endpoint == "{{imsUrl}}/ims/token/v3"
    assert parse_curl(text).secrets == {"client_secret": "5678"}
    assert use_host_variable("curl -X POST https://auth.example.com/token") == (
        "curl -X POST https://auth.example.com/token", None)
    # The origin first appears in a header: the URL is left alone rather than the wrong place changed.
    referer = "curl -H 'Referer: https://ims-na1.adobelogin.com' https://ims-na1.adobelogin.com/ims/token/v3"
    assert use_host_variable(referer) == (referer, None)


def test_a_dns_failure_on_a_vendor_host_suggests_the_sandbox():
    import socket

    import httpx

    from app.auth.request import TokenRequest
    from app.auth.token import transport_error

    def failure(url: str) -> str:
        request = TokenRequest("POST", url, {}, b"", None, "", frozenset())  # type: ignore[arg-type]
        exc = httpx.ConnectError("[Errno -2] Name or service not known")
        exc.__cause__ = socket.gaierror(-2, "Name or service not known")
        return str(transport_error(exc, request, 30))

    vendor = failure("https://ims-na1.adobelogin.com/ims/token/v3")
    assert vendor.startswith("DNS failure: the host name 'ims-na1.adobelogin.com' could not be resolved")
    assert "use the sandbox environment (or --sandbox) and write the URL with {{imsUrl}}" in vendor
    assert "sandbox" not in failure("https://auth.example.com/token")

"""The one secret-name rule and the maskers in app.masking."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.masking import (
    MASK,
    Masker,
    is_secret_header,
    is_secret_key,
    mask_all,
    mask_body,
    mask_json,
    mask_value,
    masked_query,
    response_secrets,
)


@pytest.mark.parametrize("name", ["client_secret", "password", "PWD", "api_key", "apiKey", "x-api-key",
                                  "private_key", "credentials", "access_token", "id_token", "refresh_token",
                                  "token", "Authorization"])
def test_secret_names(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize("name", ["token_type", "grant_type", "client_id", "scope", "code", "auth", "name"])
def test_innocent_names(name: str) -> None:
    assert not is_secret_key(name)


def test_the_sandbox_log_uses_the_same_rule_as_the_model() -> None:
    # The sandbox had its own, narrower regex: pwd, private and credential went through unmasked.
    assert masked_query("pwd=a&private_key=b&credentials=c&token_type=bearer") == {
        "pwd": MASK, "private_key": MASK, "credentials": MASK, "token_type": "bearer"}
    assert b"k3y" not in mask_body(b'{"privateKey": "k3y"}', "application/json")
    assert is_secret_header("Set-Cookie") and is_secret_header("X-Auth-Token") and not is_secret_header("Accept")


def test_mask_all_masks_the_longest_first_and_skips_tiny_values() -> None:
    assert mask_all("abc abcdef ab", {"abc", "abcdef", "ab"}) == f"{MASK} {MASK} ab"


def test_response_secrets_finds_tokens_under_any_path() -> None:
    body = '{"data": {"access_token": "a-very-long-token", "id_token": 42, "token_type": "bearer"}}'
    assert response_secrets(body) == {"a-very-long-token", "42"}
    assert response_secrets("access_token=abc123&token_type=bearer") == {"abc123"}
    assert response_secrets("  0123456789abcdefXYZ==\n") == {"0123456789abcdefXYZ=="}
    jwt = "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"
    assert response_secrets(f'{{"jwt": "{jwt}"}}') == {jwt}
    assert response_secrets("error=invalid_client") == set()
    assert response_secrets("Bad request: the client is unknown") == set()


def test_masker_masks_registered_values() -> None:
    masker = Masker()
    assert not masker and masker.text("code=s3cr3t") == "code=s3cr3t"
    masker.add(["s3cr3t", "", "ab"])
    assert masker and masker.text("code=s3cr3t&auth=ab") == f"code={MASK}&auth=ab"


def test_masker_hides_secret_headers_whole_by_the_one_rule_and_known_values_elsewhere() -> None:
    masker = Masker(["Bearer t0k3n-abc"])
    shown = dict(masker.headers([("Authorization", "Basic xyz"), ("X-Auth-Token", "plain"),
                                 ("Cookie", "sid=1"), ("Accept", "application/json"),
                                 ("X-Trace", "got t0k3n-abc back")]))
    assert shown == {"Authorization": MASK, "X-Auth-Token": MASK, "Cookie": MASK,
                     "Accept": "application/json", "X-Trace": f"got {MASK} back"}  # the token without its scheme too
    assert masker.header("X-Vendor-Key", "v") == "v"
    masker.add_header_names(["X-Vendor-Key"])  # an auth's own header, whatever its name
    assert masker.header("x-vendor-key", "v") == MASK


def test_mask_value_hides_a_secret_too_short_for_mask_all_but_keeps_the_scheme() -> None:
    assert mask_value("Basic ab", {"ab"}, secret=True) == f"Basic {MASK}"
    assert mask_value("ab", {"ab"}, secret=True) == MASK
    assert mask_value("Bearer s3cr3t", {"s3cr3t"}) == f"Bearer {MASK}"
    assert mask_value("application/json", {"on"}) == "application/json"  # a short secret alone masks nothing


def test_mask_json_copies_only_what_holds_a_secret_and_never_changes_its_input() -> None:
    plain = {"event": {"customerId": "c-1", "tags": ["a", {"n": 1}]}, "attempts": [{"status": 200}]}
    assert mask_json(plain) is plain  # nothing to mask: no copy (an export masks thousands of such records)
    record = {"event": plain["event"], "auth": [{"kind": "basic", "password": "hunter22"}], "n": [1, 2]}
    masked = mask_json(record)
    assert masked == {"event": plain["event"], "auth": [{"kind": "basic", "password": MASK}], "n": [1, 2]}
    assert record["auth"] == [{"kind": "basic", "password": "hunter22"}]  # the input as it was
    assert masked["event"] is plain["event"] and masked["n"] is record["n"]
    assert mask_json([{"token": None}, "x"]) == [{"token": MASK}, "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abc-", min_size=3, max_size=7), max_size=5, unique_by=len),  # one order: by length
       st.text(alphabet="abc-*", max_size=40))
def test_a_masker_masks_what_masking_every_secret_longest_first_masks(secrets: list[str], text: str) -> None:
    """Masker.text searches the secrets holding no other first (a text without them holds no secret at
    all): the same text as replacing every secret, longest first, in turn, secrets holding others included;
    holds_secret (searching those only) says whether any secret is there."""
    assert Masker(secrets).text(text) == mask_all(text, secrets)


def test_a_text_showing_only_the_secret_inside_another_is_masked_there() -> None:
    masker = Masker(["Bearer tok-123", "5678"])  # registers tok-123 too
    assert masker.text("auth: Bearer tok-123, again tok-123") == "auth: ********, again ********"
    assert masker.text("nothing here") == "nothing here" and masker.text("tok-12") == "tok-12"

"""Bad input never crashes the model: any text as a name, URL or header gives a ValidationError."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.model import Action, error_lines

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=15,
)


@settings(max_examples=200)
@given(name=st.text(max_size=40), url=st.text(max_size=60), header=st.text(max_size=20), value=st.text(max_size=20),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "get", "", "X"]))
def test_any_text_in_the_endpoint_is_accepted_or_explained(name: str, url: str, header: str, value: str, method: str) -> None:
    doc = {"name": name, "endpoint": {"url": url, "method": method, "headers": [{"name": header, "value": value}]}}
    try:
        Action.model_validate(doc)
    except ValidationError as exc:
        assert all(": " in line for line in error_lines(exc))


@settings(max_examples=200)
@given(auth=json_values, request=json_values)
def test_any_json_as_auth_or_payload_is_accepted_or_explained(auth: object, request: object) -> None:
    try:
        Action.model_validate({"name": "a", "auth": auth, "request": request})
    except ValidationError as exc:
        assert error_lines(exc)

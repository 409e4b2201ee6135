"""A validation error's path mapped to its line and column in the JSON text (no Qt here)."""
from __future__ import annotations

import json
from typing import Any, Iterator

from hypothesis import given
from hypothesis import strategies as st

from app.jsonpos import position_of

AUTH = """{
  "type": "customAuthorization",
  "body": {
    "bodyType": "form",
    "bodyParams": {
      "client_id": "{{oops",
      "scope": "openid"
    }
  },
  "endpoint": "https://example.com/token"
}
"""


def test_a_nested_model_error_points_at_its_own_key_not_the_first_part():
    assert position_of(AUTH, "body.bodyParams.client_id") == (6, 7)
    assert position_of(AUTH, ("body", "bodyParams", "client_id")) == (6, 7)
    assert position_of(AUTH, "endpoint") == (10, 3)


def test_a_missing_field_points_at_the_deepest_part_that_is_there():
    assert position_of(AUTH, "body.bodyParams.grant_type") == (5, 5)
    assert position_of(AUTH, "nothing.here") is None
    assert position_of(AUTH, "(action)") is None


def test_array_items_keys_with_dots_and_same_names_elsewhere():
    text = '{"a": {"x.y": 1, "x": {"y": 2}},\n "headers": [\n  {"name": "a"},\n  {"name": "b b"}\n ]}'
    assert position_of(text, "headers[1].name") == (4, 4)
    assert position_of(text, ("headers", 1, "name")) == (4, 4)
    assert position_of(text, "headers[1]") == (4, 3)
    assert position_of(text, "headers[5].name") == (2, 2)  # no such item: the list itself
    assert position_of(text, "a.x.y") == (1, 8)  # the key "x.y" written whole wins over "x" then "y"
    assert position_of(text, ("a", "x", "y")) == (1, 24)
    assert position_of("[{}, {\"k\": 1}]", "[1].k") == (1, 7)


def test_text_that_is_not_json_gives_nothing_rather_than_an_error():
    assert position_of('{"a": ', "a") is None
    assert position_of("", "a") is None
    assert position_of('{"a": [1, 2', "a[1]") is None


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,)
            yield from paths(value, prefix + (index,))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@given(data=JSON, indent=st.sampled_from([None, 2]))
def test_every_path_of_any_document_points_at_its_key_or_item(data, indent):
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    lines = text.split("\n")
    for path in paths(data):
        line, column = position_of(text, path)
        at = lines[line - 1][column - 1:]
        if isinstance(path[-1], str):
            assert at.startswith(json.dumps(path[-1], ensure_ascii=False) + ":"), (path, at)
        else:
            assert at.startswith(json.dumps(_get(data, path), ensure_ascii=False, indent=indent).split("\n")[0])


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node

"""Property: any payload, with any outermost fields made Variable (labels of any text), survives
our export -> Postman -> import unchanged: its example, types, modes, labels and optional flags."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.interop import postman, postman_read
from app.model import Action, infer_payload
from app.model.payload import set_mode
from tests.app.interop.helpers import comparable

NAMES = st.text(st.sampled_from("abcxyzAB_019 -:é"), min_size=1, max_size=6).filter(
    lambda n: not n.startswith("$") and "." not in n)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.text(max_size=8), st.sampled_from(["{{env}}", "2025-01-31", "2025-01-31T12:00:00Z"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, min_size=1, max_size=3)), max_leaves=12)
OBJECTS = st.dictionaries(NAMES, VALUES, min_size=1, max_size=5)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(example=st.one_of(OBJECTS, st.lists(OBJECTS, min_size=1, max_size=2)), data=st.data())
def test_payloads_survive_the_postman_round_trip(example, data) -> None:
    payload = infer_payload(json.dumps(example, indent=1))
    paths = [path for path, _ in payload.walk()]
    chosen = data.draw(st.lists(st.sampled_from(paths), unique=True, max_size=3)) if paths else []
    for path in sorted(chosen, key=len):  # outermost first: a field inside a Variable one is not chosen
        if any(path.startswith(other + ".") or path.startswith(other + "[]") for other in chosen if other != path):
            continue
        field = payload.find(path)
        set_mode(field, "variable")
        field.label = data.draw(st.text(max_size=10))
    for path in data.draw(st.lists(st.sampled_from(paths), max_size=2)) if paths else []:
        payload.find(path).optional = True
    action = Action(name="prop", request=payload.model_validate(payload.model_dump(by_alias=True)))
    [back] = postman_read.read_collection(json.dumps(postman.collection([action])), "p.json").items
    assert comparable(back.action) == comparable(action)

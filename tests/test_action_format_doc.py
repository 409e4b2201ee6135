"""docs/action-format.md is what tools/action_format.py makes from the action's JSON Schema now."""
from __future__ import annotations

from tools.action_format import DOC, main, render, schema


def test_the_committed_action_format_doc_is_up_to_date() -> None:
    assert DOC.read_text("utf-8") == render(schema()), "run: python -m tools.action_format"
    assert main(["action_format", "--check"]) == 0


def test_every_model_of_the_schema_has_its_section() -> None:
    text = render(schema())
    for name in ["Action", *schema()["$defs"]]:
        assert f"\n## {name}\n" in text
    assert "| `auth` | [NoAuth](#noauth) or [BasicAuth](#basicauth)" in text

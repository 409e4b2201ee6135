"""Batch input that used to go wrong: Excel's BOM, a quote never closed, NUL, huge or deep or
non-finite JSON, a bad `$path`. Each is one bad line by number; the good lines are all kept."""
from __future__ import annotations

import json

import pytest

from app.calls.batchinput import read_batch
from app.calls.build import prepare
from app.services import SANDBOX_URL_VAR

HEADER = "Named user,Event name,Value,Transaction id\n"


@pytest.fixture
def events(services):
    """airshipCustomEvent prepared (no sandbox needed: nothing is sent)."""
    resolver = services.resolver(overrides={SANDBOX_URL_VAR: "http://127.0.0.1:9"})
    return prepare(services.workspace.load("airshipCustomEvent"), resolver)


@pytest.fixture
def webhook(services):
    resolver = services.resolver(overrides={SANDBOX_URL_VAR: "http://127.0.0.1:9"})
    return prepare(services.workspace.load("notifyWebhook"), resolver)


def test_a_utf8_bom_header_is_read_as_excel_writes_it(events) -> None:
    parsed = read_batch(events, "\ufeff" + HEADER + "u1,opened,1,t1\nu2,opened,2,t2\n", "csv")
    assert parsed.bad == []
    assert [(i.line, i.values["user.named_user_id"]) for i in parsed.items] == [(2, "u1"), (3, "u2")]


def test_an_unterminated_quote_is_one_bad_line_not_merged_rows(events) -> None:
    text = HEADER + 'u1,opened,1,"t1\nu2,opened,2,t2\nu3,opened,3,t3\n'
    parsed = read_batch(events, text, "csv")
    assert [(b.line, b.reason) for b in parsed.bad] == [(2, 'a quote (") opened on this line is never closed')]
    assert [(i.line, i.values["body.transaction"]) for i in parsed.items] == [(3, "t2"), (4, "t3")]


def test_a_quoted_cell_over_two_lines_is_still_one_row(events) -> None:
    parsed = read_batch(events, HEADER + 'u1,opened,1,"t\n1"\nu2,opened,2,t2\n', "csv")
    assert parsed.bad == []
    assert [(i.line, i.values["body.transaction"]) for i in parsed.items] == [(2, "t\n1"), (4, "t2")]


def test_text_after_a_closing_quote_is_a_bad_line(events) -> None:
    parsed = read_batch(events, HEADER + 'u1,opened,1,"t1"x\nu2,opened,2,t2\n', "csv")
    assert [b.line for b in parsed.bad] == [2] and "not valid CSV" in parsed.bad[0].reason
    assert [i.line for i in parsed.items] == [3]


def test_a_nul_in_a_cell_is_never_sent(events) -> None:
    parsed = read_batch(events, HEADER + "u1,op\x00ened,1,t1\nu2,opened,2,t2\n", "csv")
    assert [(b.line, b.reason.split(" (")[0]) for b in parsed.bad] == [(2, "holds a NUL character")]
    assert [i.line for i in parsed.items] == [3]


@pytest.mark.parametrize("header, problem", [
    ("Named user,Event name,Value,Value\n", "header: column 'Value' appears twice"),
    ("Named user,Event nam,Value,Transaction id\n", "header: unknown column 'Event nam'"),
    ("Named\x00user,Event name,Value,Transaction id\n", "header: holds a NUL character"),
])
def test_a_bad_header_is_said_once(events, header: str, problem: str) -> None:
    parsed = read_batch(events, header + "u1,opened,1,t1\nu2,opened,2,t2\n", "csv")
    assert parsed.items == [] and len(parsed.bad) == 1
    assert parsed.bad[0].line == 1 and parsed.bad[0].reason.startswith(problem)


@pytest.mark.parametrize("cell", ["nan", "inf", "1e999", "1_000", "٣"])
def test_numbers_are_plain_finite_numbers(events, cell: str) -> None:
    parsed = read_batch(events, HEADER + f"u1,opened,{cell},t1\n", "csv")
    assert parsed.bad[0].reason.startswith("Value: expected a number")


@pytest.mark.parametrize("line, reason", [
    ('{"customerId": ' + "9" * 5000 + "}", "not valid JSON (column 16: a number with more than 4300 digits"),
    ('{"customerId": ' + "[" * 50_000 + "]" * 50_000 + "}", "not valid JSON (column 1: nested too deeply)"),
    ('{"customerId": NaN}', "not valid JSON (column 16: NaN at customerId is not JSON"),
    ('{"customerId": "x", "$path": 5}', "$path: the dynamic path must be text, got int"),
    ('{"customerId": "x", "$path": "a\\r\\nb"}', "$path: the dynamic path holds a line break (CR/LF)"),
    ('{"customerId": "x", "$path": "{{nope}}"}', "$path: undefined variable in the dynamic path: {{nope}}"),
])
def test_a_bad_json_line_is_reported_and_the_others_kept(webhook, line: str, reason: str) -> None:
    text = "\n".join([json.dumps({"customerId": "a"}), line, json.dumps({"customerId": "b"})])
    parsed = read_batch(webhook, text)
    assert [(b.line, b.reason[:len(reason)]) for b in parsed.bad] == [(2, reason)]
    assert [i.values["customerId"] for i in parsed.items] == ["a", "b"]


def test_a_line_separator_inside_a_json_string_is_not_a_new_line(webhook) -> None:
    parsed = read_batch(webhook, '{"customerId": "a\u2028b"}\n{"customerId": "c"}\n')
    assert parsed.bad == [] and [i.line for i in parsed.items] == [1, 2]

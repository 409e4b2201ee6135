"""Calling actions for real: values, requests, sending with retries, the bulk path, the history.

Modules: `values` (inputs and checks), `build` (the concrete request), `send` (one call, the
platform's retry rules), `answer` (what a sender returns, and the `Sender` protocol), `client` (the
httpx sender of one call: redirects, the response cap), `aiosender` (the aiohttp sender of batches and
journey runs: the same bytes; each request made by `aiorequest`), `credentials` (what the calls of a
run carry), `batch` (many calls over one sender), `record` (what was sent and received, masked),
`history` and `storage` (SQLite), `events` (templates and checks for the seed endpoints). The network
rules all paths share are in `app.net`.
"""
from app.calls.build import Outgoing, Prepared, SetupError, prepare
from app.calls.record import CallResult, RecordedExchange, RecordedRequest, RecordedResponse
from app.calls.send import send
from app.calls.values import Input, ValuesError, check_values, example_values, inputs

__all__ = ["CallResult", "Input", "Outgoing", "Prepared", "RecordedExchange", "RecordedRequest",
           "RecordedResponse", "SetupError", "ValuesError", "check_values", "example_values", "inputs",
           "prepare", "send"]

"""One entry point for a file to import, whatever its format: sniffed from its text, or named."""
from __future__ import annotations

import re
from typing import Optional

from app.interop.report import Entry, InteropError, Report

FORMATS = ("native", "postman", "postman-environment", "openapi", "curl")
_CURL = re.compile(r"^\s*(?:[$%>]\s*|PS>\s*)?(?:sudo\s+)?curl(?:\.exe)?\s", re.I)
_OPENAPI = re.compile(r'^\s*"?(openapi|swagger)"?\s*:', re.M)
_POSTMAN_ENV = re.compile(r'"_postman_variable_scope"\s*:\s*"environment"')
_POSTMAN = re.compile(r'"schema"\s*:\s*"https?://schema\.getpostman\.com/json/collection/')


def sniff(text: str) -> str:
    """'curl', 'openapi', 'postman', 'postman-environment' or 'native' (our export, an action file
    or a list of them)."""
    head = text[:200_000]
    if _CURL.match(head):
        return "curl"
    if _POSTMAN.search(head):
        return "postman"
    if _POSTMAN_ENV.search(head):
        return "postman-environment"
    if _OPENAPI.search(head):
        return "openapi"
    return "native"


def read(text: str, where: str, fmt: Optional[str] = None, operation: Optional[str] = None) -> Report:
    """The file's actions and report; `fmt` None: sniffed. InteropError when nothing can be read."""
    fmt = fmt or sniff(text)
    if fmt == "postman":
        from app.interop.postman_read import read_collection

        return read_collection(text, where)
    if fmt == "postman-environment":
        from app.interop.postman_read import read_environment

        return read_environment(text, where)
    if fmt == "openapi":
        from app.interop.openapi import read_operation

        return read_operation(text, where, operation)
    if fmt == "curl":
        from app.interop.curlimport import read_curl

        return read_curl(text, where)
    if fmt != "native":
        raise InteropError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _native(text, where)


def _native(text: str, where: str) -> Report:
    from app.model import JsonError
    from app.transfer import ImportProblem, read_bundle

    try:
        items = read_bundle(text, where)
    except (ImportProblem, JsonError, ValueError) as exc:
        raise InteropError(str(exc)) from None
    report = Report("native", where)
    for item in items:
        report.add(Entry(item.action.name, item.action.name), item)
    return report

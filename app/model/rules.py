"""The platform's rules on names, header tokens and URLs, as plain functions (no pydantic)."""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

NAME_MAX = 30
NAME_RULE = "letters, digits and underscore only, 1 to 30 characters"
_NAME = re.compile(r"[A-Za-z0-9_]+")
# Device names Windows refuses as file names in any case and with any extension (CON.json too).
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                              *(f"LPT{i}" for i in range(10))})
# RFC 7230 section 3.2.6 tchar: what a header name is made of (the model's check and the one before sending).
HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
LEADING_VAR = re.compile(r"^\{\{[^}]*\}\}")  # {{baseUrl}}/path: scheme and host come later
UNSET_URLS = ("", "https://", "http://")


def name_problem(name: str) -> str | None:
    """Why an action name is refused, or None when it is valid."""
    if not name:
        return "the name is empty (" + NAME_RULE + ")"
    if len(name) > NAME_MAX:
        return f"the name has {len(name)} characters; at most {NAME_MAX} are allowed"
    bad = sorted({c for c in name if not _NAME.fullmatch(c)})
    if bad:
        shown = ", ".join("space" if c == " " else repr(c) for c in bad)
        return f"the name contains {shown}; use {NAME_RULE}"
    return file_name_problem(name)


def file_name_problem(name: str) -> str | None:
    """Why a name the platform accepts cannot be a file name here (each action is actions/<name>.json)."""
    if name.upper() in WINDOWS_RESERVED:
        return (f"{name} is a device name Windows reserves (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, in any "
                "case), so it cannot be a file name; the platform would accept it, but choose another name "
                "so the workspace opens on every system")
    return None


def http_name_problem(name: str, what: str = "header") -> str | None:
    """Why a header or query-parameter name is refused (RFC 7230 token, not starting . or $)."""
    if not name:
        return f"the {what} name is empty"
    if name[0] in ".$":
        return f"the {what} name must not start with '{name[0]}'"
    if what == "header" and not HTTP_TOKEN.fullmatch(name):
        bad = sorted({c for c in name if not HTTP_TOKEN.fullmatch(c)})
        shown = ", ".join({" ": "space", "\r": "CR", "\n": "LF", "\t": "tab"}.get(c, repr(c)) for c in bad)
        return f"the header name contains {shown}; header names are HTTP tokens (RFC 7230)"
    if what != "header" and any(c in name for c in "\r\n"):
        return f"the {what} name contains a line break"
    return None


def value_problem(value: str) -> str | None:
    """Header values may never carry CR or LF (header injection)."""
    if "\r" in value or "\n" in value:
        return "the value contains a line break (CR or LF), which would split the HTTP header"
    return None


def url_problem(url: str) -> str | None:
    """Why a concrete URL (variables already resolved) cannot be called, or None."""
    if not url.strip():
        return "the URL is empty"
    if url != url.strip() or any(c in url for c in " \r\n\t"):
        return "the URL contains spaces or line breaks"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL is malformed ({exc})"
    if parts.scheme not in ("http", "https"):
        shown = parts.scheme or "none"
        return f"the URL scheme is {shown!r}; use https:// (or http:// for local testing)"
    if not parts.hostname:
        return "the URL has no host"
    if port == 0:
        return "the URL port 0 is not valid"
    if parts.fragment:
        return "the URL has a #fragment, which is never sent to the server"
    return None


def template_url_problem(url: str) -> str | None:
    """`url_problem` for a stored URL that may start with a {{variable}}; an unset URL ("https://")
    is left to the check before sending, so a new action can be saved half-done."""
    if url.strip() in UNSET_URLS:
        return None
    return url_problem(LEADING_VAR.sub("https://placeholder.invalid", url))


def url_warnings(url: str) -> list[str]:
    """Where the platform would refuse or advise against a concrete URL (not blocking here)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return []
    host = (parts.hostname or "").lower()
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    out = []
    if parts.scheme == "http" and not loopback:
        out.append("plain http: the platform strongly recommends https")
    if _is_ip(host) and not loopback:
        out.append("raw IP address: the platform refuses IP addresses; use a host name")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    if port is not None and port != default:
        note = " (fine for the local sandbox)" if loopback else ""
        out.append(f"port {port}: the platform only calls default ports{note}")
    return out


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True

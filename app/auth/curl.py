"""cURL import (paste the developer console's token command, get a customAuthorization) and export.

Secrets: in `CurlImport.auth` every secret value (client_secret, password, Authorization...) is
the mask `********`; the plain values are in `CurlImport.secrets`, keyed by parameter or header
name. `CurlImport.with_secrets_stored(store)` puts them in the keyring and returns the auth with
SecretRefs in their place: that is the auth to save. Nothing usable is dropped silently: options
that cannot be used are in `ignored`, approximations in `warnings`.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Iterable, Literal, Optional
from urllib.parse import quote, unquote_plus

from pydantic import ValidationError

from app.auth import shellwords
from app.auth.errors import CurlError
from app.auth.vendors import VendorHost, vendor_host
from app.masking import MASK, is_secret_key
from app.model import rules
from app.model.auth import CustomAuth, CustomBody
from app.model.base import SecretRef, Value, error_lines, only_placeholder
from app.model.rules import http_name_problem
from app.resolve import Resolver
from app.secrets import SecretStore

# Short options that take a value (the rest are flags); long ones by name.
_SHORT_VALUE = {"X": "request", "H": "header", "d": "data", "u": "user", "A": "user-agent", "e": "referer",
                "b": "cookie", "c": "cookie-jar", "o": "output", "x": "proxy", "m": "max-time", "F": "form",
                "T": "upload-file", "E": "cert", "w": "write-out", "D": "dump-header", "K": "config",
                "r": "range", "C": "continue-at", "U": "proxy-user", "Y": "speed-limit", "y": "speed-time",
                "t": "telnet-option", "Q": "quote", "P": "ftp-port", "z": "time-cond"}
_SHORT_FLAG = {"G": "get", "I": "head", "k": "insecure", "v": "verbose", "s": "silent", "S": "show-error",
               "L": "location", "i": "include", "f": "fail", "g": "globoff", "N": "no-buffer", "n": "netrc",
               "q": "disable", "4": "ipv4", "6": "ipv6", "0": "http1.0", "1": "tlsv1", "2": "sslv2",
               "3": "sslv3", "#": "progress-bar", "l": "list-only", "a": "append", "B": "use-ascii",
               "j": "junk-session-cookies", "J": "remote-header-name", "O": "remote-name", "p": "proxytunnel",
               "R": "remote-time", "Z": "parallel", "M": "manual", "h": "help", "V": "version"}
_LONG_VALUE = set(_SHORT_VALUE.values()) | {
    "data-raw", "data-binary", "data-ascii", "data-urlencode", "json", "url", "url-query", "connect-timeout",
    "form-string", "key", "cacert", "capath", "pass", "retry", "retry-delay", "retry-max-time", "limit-rate",
    "resolve", "connect-to", "interface", "oauth2-bearer", "aws-sigv4", "variable", "max-filesize",
    "max-redirs", "trace", "trace-ascii", "stderr", "unix-socket", "abstract-unix-socket", "cert-type",
    "key-type", "ciphers", "local-port", "dns-servers", "doh-url", "noproxy", "preproxy", "proxy-header",
    "request-target", "tls-max", "expect100-timeout", "happy-eyeballs-timeout-ms", "keepalive-time",
    "login-options", "mail-from", "mail-rcpt", "netrc-file", "output-dir", "pinnedpubkey", "proto",
    "proto-redir", "proxy-cacert", "socks5", "socks5-hostname", "tlsuser", "tlspassword", "hostpubmd5",
    "etag-save", "etag-compare", "create-file-mode", "sasl-authzid", "service-name", "haproxy-clientip",
    "ip-tos", "vlan-priority", "proxy-user", "proxy-cert", "proxy-key", "krb", "delegation", "ftp-method",
    "ftp-account", "ftp-alternative-to-user", "ftp-ssl-ccc-mode", "ech", "ipfs-gateway", "proxy-pass",
}
_IMPLIED_HEADERS = {"content-length", "host", "connection", "accept-encoding"}
_OTHER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)")  # "javascript:", not "localhost:8080"


@dataclass
class CurlImport:
    """The result of `parse_curl`. `secrets` holds plain values: keep it out of logs and files."""

    auth: CustomAuth
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _places: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def with_secrets_stored(self, store: SecretStore) -> CustomAuth:
        """Put every secret in the store; the auth with SecretRefs where the masks were."""
        headers = dict(self.auth.headers)
        params = dict(self.auth.body.body_params) if self.auth.body else {}
        for key, value in self.secrets.items():
            place, name = self._places.get(key, ("body", key))
            ref: SecretRef = store.put(value, hint=name)
            (headers if place == "headers" else params)[name] = ref
        body = self.auth.body.model_copy(update={"body_params": params}) if self.auth.body else None
        return self.auth.model_copy(update={"headers": headers, "body": body})

    def to_dict(self) -> dict[str, object]:
        """For --json: the auth (secrets masked), which names are secrets, what was left out."""
        return {"auth": self.auth.dump(), "secrets": sorted(self.secrets), "ignored": list(self.ignored),
                "warnings": list(self.warnings)}


@dataclass
class _Parsed:
    method: Optional[str] = None
    urls: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    query: list[str] = field(default_factory=list)
    get: bool = False
    json: bool = False
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_curl(text: str) -> CurlImport:
    """Read a curl command as a shell would; raises CurlError saying what is wrong and where."""
    return _build(read_command(text))


# The options of a command, as read_command found them (app/interop/curlimport.py builds an action).
CurlCommand = _Parsed


def read_command(text: str) -> CurlCommand:
    """The options of a curl command, split as a shell would; raises CurlError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise CurlError("the cURL command is empty: paste a command that starts with curl")
    words = shellwords.split(text)
    args = list(words.words)
    while args and args[0] in ("$", "%", ">", "PS>", "sudo"):
        args.pop(0)
    if not args:
        raise CurlError("the cURL command is empty: paste a command that starts with curl")
    program = args[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if program not in ("curl", "curl.exe"):
        raise CurlError(f"this is not a curl command: it starts with {args[0][:40]!r} "
                        "(paste a command that starts with curl)")
    parsed = _Parsed(warnings=list(words.notes))
    _read_options(args, parsed)
    return parsed


def host_offer(text: str) -> Optional[VendorHost]:
    """The known vendor host (e.g. https://ims-na1.adobelogin.com) the command's URL starts with:
    what `use_host_variable` would write as its environment variable ({{imsUrl}}), else None."""
    try:
        return vendor_host(parse_curl(text).auth.endpoint)
    except CurlError:
        return None


def use_host_variable(text: str) -> tuple[str, Optional[VendorHost]]:
    """The command with its URL's vendor origin written as the variable, so the environment (the
    sandbox's, production's) chooses the host; unchanged, with None, when there is none."""
    offer = host_offer(text)
    if offer is None:
        return text, None
    changed = text.replace(offer.origin, offer.placeholder, 1)
    if not parse_curl(changed).auth.endpoint.startswith(offer.placeholder):  # the origin was elsewhere first
        return text, None
    return changed, offer


def _read_options(args: list[str], p: _Parsed) -> None:
    i = 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            p.urls.extend(args[i + 1:])
            return
        if arg.startswith("--") and len(arg) > 2:
            name = arg[2:]
            if name in _LONG_VALUE:
                if i + 1 >= len(args):
                    raise CurlError(f"option {arg} (word {i + 1}) needs a value after it")
                _option(name, args[i + 1], arg, p)
                i += 2
                continue
            _flag(name, arg, p)
        elif arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                ch = arg[j]
                if ch in _SHORT_VALUE:
                    value = arg[j + 1:]
                    if not value:
                        if i + 1 >= len(args):
                            raise CurlError(f"option -{ch} (word {i + 1}) needs a value after it")
                        i += 1
                        value = args[i]
                    _option(_SHORT_VALUE[ch], value, f"-{ch}", p)
                    break
                _flag(_SHORT_FLAG.get(ch, ch), f"-{ch}", p)
                j += 1
        else:
            p.urls.append(arg)
        i += 1


def _flag(name: str, shown: str, p: _Parsed) -> None:
    if name == "get":
        p.get = True
    elif name == "head":
        p.ignored.append(shown)
        p.warnings.append(f"{shown} asks for HEAD; a token call uses GET or POST")
    elif shown not in p.ignored:
        p.ignored.append(shown)


def _option(name: str, value: str, shown: str, p: _Parsed) -> None:
    if name == "request":
        p.method = value.upper()
    elif name == "header":
        _header(value, p)
    elif name in ("data", "data-ascii", "data-binary", "data-raw", "json"):
        if value.startswith("@") and name != "data-raw":
            p.ignored.append(f"{shown} {value}")
            p.warnings.append(f"{shown} {value} reads the body from a file, which cannot be imported; "
                              "add those parameters by hand")
            return
        if name == "json":
            p.json = True
        p.data.append(("json" if name == "json" else "data", value))
    elif name == "data-urlencode":
        _urlencoded(value, shown, p)
    elif name == "url":
        p.urls.append(value)
    elif name == "url-query":
        p.query.append(value)
    elif name == "user":
        user, sep, password = value.partition(":")
        if not sep:
            p.warnings.append(f"{shown} {user} has no password (curl would ask for it); it was left empty")
        p.headers.append(("Authorization", f"Basic EncodeBase64({user}:{password})"))
    elif name == "oauth2-bearer":
        p.headers.append(("Authorization", f"Bearer {value}"))
    elif name == "user-agent":
        p.headers.append(("User-Agent", value))
    elif name == "referer":
        p.headers.append(("Referer", value))
    else:
        p.ignored.append(shown)  # the value is not shown: it may be a password or cookie


def _header(value: str, p: _Parsed) -> None:
    name, sep, rest = value.partition(":")
    name = name.strip()
    if not sep and name.endswith(";"):  # curl's "Name;" sends an empty header
        name, sep, rest = name[:-1].strip(), ":", ""
    if not sep:
        p.ignored.append(f"-H {value[:40]}")
        p.warnings.append(f"header {value[:40]!r} has no ':' and was ignored")
        return
    rest = rest.strip()
    problem = http_name_problem(name, "header") if name else "the name is empty"
    if problem:
        p.ignored.append(f"-H {name[:40]}")
        p.warnings.append(f"header {name[:40]!r} was ignored: {problem}")
        return
    if not rest and not value.rstrip().endswith(";"):
        p.ignored.append(f"-H {name}:")
        p.warnings.append(f"-H '{name}:' only removes a header curl would add; ignored")
        return
    p.headers.append((name, rest))


def _urlencoded(value: str, shown: str, p: _Parsed) -> None:
    cut = min((k for k in (value.find("="), value.find("@")) if k >= 0), default=-1)
    if cut >= 0 and value[cut] == "@":
        p.ignored.append(f"{shown} {value}")
        p.warnings.append(f"{shown} {value} reads a file, which cannot be imported")
        return
    if cut < 0:
        p.data.append(("data", quote(value, safe="")))
    elif cut == 0:
        p.data.append(("data", quote(value[1:], safe="")))
    else:
        p.data.append(("data", value[:cut] + "=" + quote(value[cut + 1:], safe="")))


def _build(p: _Parsed) -> CurlImport:
    url = _url(p)
    body_text = ""
    for kind, piece in p.data:
        body_text = body_text + piece if kind == "json" or not body_text else f"{body_text}&{piece}"
    headers: dict[str, str] = {}
    content_type = ""
    for name, value in p.headers:
        low = name.lower()
        if low == "content-type":
            content_type = value
            continue
        if low in _IMPLIED_HEADERS or low == "cookie":
            p.ignored.append(f"-H {name}")
            continue
        clash = next((k for k in headers if k.lower() == low), None)
        if clash:
            p.warnings.append(f"header {name} is given twice; the last value is used")
            del headers[clash]
        headers[name] = value
    method = _method(p, bool(p.data))
    if p.data and (p.get or method == "GET"):
        if not p.get:
            p.warnings.append("GET with a body: the platform sends no body with GET, "
                              "so the data was moved to the URL's query string")
        url = _add_query(url, body_text)
        method, body_text = "GET", ""
    for extra in p.query:
        url = _add_query(url, extra)
    is_json = p.json or "json" in content_type.lower() or body_text.lstrip().startswith(("{", "["))
    if content_type and not any(t in content_type.lower() for t in ("json", "x-www-form-urlencoded")):
        headers["Content-Type"] = content_type
        p.warnings.append(f"Content-Type {content_type} is neither form nor JSON; the body was read as "
                          "form parameters and the header kept")
    params = _json_params(body_text, p) if is_json and body_text.strip() else _form_params(body_text, p)
    secrets: dict[str, str] = {}
    places: dict[str, tuple[str, str]] = {}
    for place, values in (("headers", headers), ("body", params)):
        for name, value in values.items():
            if is_secret_key(name) and value and not only_placeholder(value):
                key = name if name not in secrets else f"{name} ({place[:-1] if place == 'headers' else place})"
                secrets[key] = value
                places[key] = (place, name)
                values[name] = MASK
    for name, _value in _query_pairs(url):
        if is_secret_key(name):
            p.warnings.append(f"{name} is in the URL's query string, where it cannot be kept in the "
                              "keyring; move it to the body or use a {{variable}}")
    try:
        auth = CustomAuth(
            endpoint=url, method=method, headers=dict[str, Value](headers),
            body=CustomBody(body_type="json" if is_json else "form", body_params=dict[str, Value](params))
            if method == "POST" else None,
        )
    except ValidationError as exc:
        raise CurlError("the command gives no usable token request: " + "; ".join(error_lines(exc))) from None
    return CurlImport(auth, secrets, p.ignored, p.warnings, places)


def _url(p: _Parsed) -> str:
    if not p.urls:
        raise CurlError("no URL found in the curl command: add the token endpoint, "
                        "e.g. curl -X POST 'https://host/path' -d 'grant_type=...'")
    if len(p.urls) > 1:
        p.warnings.append(f"{len(p.urls)} URLs given; the first is used, ignored: " + ", ".join(p.urls[1:])[:200])
        p.ignored.extend(p.urls[1:])
    url = p.urls[0].strip()
    if any(c.isspace() for c in url):
        raise CurlError(f"the URL {url[:80]!r} contains spaces; quote or encode it")
    other = _OTHER_SCHEME.match(url)
    if other and "://" not in url:  # javascript:..., data:..., mailto:... (host:port is fine)
        raise CurlError(f"the URL {url[:80]!r} uses the scheme {other.group(1)!r}; the token endpoint "
                        "must be an http(s) URL")
    if not url.startswith("{{") and "://" not in url:
        p.warnings.append(f"the URL {url[:80]!r} has no scheme; curl would use http://")
        url = "http://" + url
    problem = rules.template_url_problem(url)  # the same rules as an action's URL
    if problem:
        raise CurlError(f"the URL {url[:80]!r} cannot be used: {problem}")
    return url


def _method(p: _Parsed, has_data: bool) -> Literal["GET", "POST"]:
    method = p.method or ("GET" if p.get or not has_data else "POST")
    if method in ("GET", "POST"):
        return "GET" if method == "GET" else "POST"
    fallback: Literal["GET", "POST"] = "POST" if has_data and not p.get else "GET"
    p.warnings.append(f"method {method}: a token call uses GET or POST; {fallback} was used")
    return fallback


def _add_query(url: str, query: str) -> str:
    if not query:
        return url
    return url + ("&" if "?" in url else "?") + query


def _query_pairs(url: str) -> list[tuple[str, str]]:
    query = url.partition("?")[2].partition("#")[0]
    return [(k, v) for k, _, v in (piece.partition("=") for piece in query.split("&") if piece)]


def _form_params(text: str, p: _Parsed) -> dict[str, str]:
    params: dict[str, str] = {}
    for piece in text.replace("\n", "").replace("\r", "").split("&"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        name, value = unquote_plus(name, errors="replace"), unquote_plus(value, errors="replace")
        if not name:
            p.warnings.append(f"body piece {piece[:40]!r} has no name and was ignored")
            continue
        if not sep:
            p.warnings.append(f"body parameter {name!r} has no '=value'; it was given an empty value")
        if name in params:
            p.warnings.append(f"body parameter {name!r} is given twice; the last value is used")
        params[name] = value
    return params


def _json_params(text: str, p: _Parsed) -> dict[str, str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CurlError(f"the JSON body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CurlError("the JSON body must be an object ({...}): custom authentication sends a flat JSON object")
    params: dict[str, str] = {}
    for name, value in data.items():
        if isinstance(value, str):
            params[name] = value
            continue
        params[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        kind = "nested value" if isinstance(value, (dict, list)) else "non-string value"
        p.warnings.append(f"JSON body field {name!r} is a {kind}; the platform's flat JSON body holds "
                          f"text, so it is sent as the string {params[name][:40]!r}")
    return params


# -- the reverse ------------------------------------------------------------------------------
def to_curl(auth: CustomAuth, resolver: Resolver, reveal: bool = False) -> str:
    """The token request as a curl command (POSIX shell quoting); secrets masked unless reveal.

    Variables and secrets are resolved with `resolver`, so a missing one raises AuthError.
    """
    from app.auth.request import build_request

    request = build_request(auth, resolver)
    if reveal:
        method, url, headers, body = request.method, request.url, request.headers, request.body.decode("utf-8")
    else:
        shown = request.shown
        method, url, headers, body = shown.method, shown.url, shown.headers, shown.body
    return curl_command(method, url, headers.items(), body or None)


def curl_command(method: str, url: str, headers: Iterable[tuple[str, str]], body: Optional[str]) -> str:
    """A request as a curl command, one option a line (POSIX shell quoting): the one cURL writer
    of token requests and recorded calls. A body of None adds no --data-raw."""
    lines = [f"curl -X {method} {shlex.quote(url)}"]
    lines += [f"-H {shlex.quote(f'{name}: {value}')}" for name, value in headers]
    if body is not None:
        lines.append(f"--data-raw {shlex.quote(body)}")
    return " \\\n  ".join(lines)

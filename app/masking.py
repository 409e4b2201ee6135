"""What counts as a secret and how it is hidden: the one secret-name rule and the maskers.

Everything shown to a person (auth test results, the sandbox's request log and echo, cURL,
history, journey traces) decides "is this a secret?" with `is_secret_key` / `is_secret_header`
and hides with the same `********`, so a name masked in one place is masked in every place.
Known secret values are hidden by `mask_all` (one text) or a `Masker` (values registered as a
call or a run goes).
"""
from __future__ import annotations

import functools
import json
import re
import threading
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode

MASK = "********"
_MASK_BYTES = MASK.encode()

# One rule for parameter, header, JSON and form names that carry a secret.
_SECRET_NAME = re.compile(r"secret|passw|pwd|token|api[-_]?key|private|credential|authorization", re.I)
_NOT_SECRET = frozenset({"token_type", "grant_type"})  # name a secret's kind, never hold one
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
                            "api-key", "x-ims-token"})
# A JWT (header.payload.signature, base64url, the header always starts '{"' = eyJ): a token
# whatever the name of the field it sits in.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_BARE_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]{16,}={0,2}")
_MIN_SECRET = 3  # shorter values would mask ordinary text everywhere


@functools.lru_cache(maxsize=4096)  # a run's export asks about the same few keys thousands of times
def is_secret_key(name: str) -> bool:
    """Whether a parameter, form, query or JSON key names a secret (client_secret, password, api_key...)."""
    return _SECRET_NAME.search(name) is not None and name.lower() not in _NOT_SECRET


def is_secret_header(name: str) -> bool:
    """Whether a header's value must never be shown (Authorization, Cookie, X-Api-Key, *token*...)."""
    return name.lower() in SECRET_HEADERS or is_secret_key(name)


def mask_all(text: str, values: Iterable[str]) -> str:
    """`text` with every occurrence of each value (3 characters or more) replaced by the mask;
    longest first, so a secret that contains another is masked whole."""
    for value in sorted({v for v in values if v and len(v) >= _MIN_SECRET}, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def mask_json(value: Any) -> Any:
    """A parsed JSON value with the values of secret-named keys masked, at any depth: a copy of each
    dict or list that holds one, the value itself where there is none (an export masks thousands of
    records holding no secret: copying every dict and list of each made most of its allocations)."""
    if isinstance(value, dict):
        masked = None
        for k, v in value.items():
            if is_secret_key(k):
                new: Any = MASK
            elif isinstance(v, (dict, list)):
                new = mask_json(v)
            else:
                continue
            if new is not v:
                if masked is None:
                    masked = dict(value)
                masked[k] = new
        return value if masked is None else masked
    if isinstance(value, list):
        items = None
        for i, v in enumerate(value):
            if isinstance(v, (dict, list)):
                new = mask_json(v)
                if new is not v:
                    if items is None:
                        items = list(value)
                    items[i] = new
        return value if items is None else items
    return value


def secret_values(data: Any, secret: bool = False) -> set[str]:
    """The scalar values held under secret-named keys of parsed JSON (or form pairs), at any depth."""
    found: set[str] = set()
    stack: list[tuple[Any, bool]] = [(data, secret)]
    while stack:
        item, hidden = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, hidden or is_secret_key(str(k))) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, hidden) for v in item)
        elif hidden and item is not None and not isinstance(item, bool):
            found.add(str(item))
    return found


def response_secrets(body: str) -> set[str]:
    """The credentials a response body shows, whatever path was asked for: values of secret-named
    JSON or form keys (access_token, id_token, refresh_token...), any JWT, a body that is one bare token."""
    found = set(_JWT.findall(body))
    stripped = body.strip()
    try:
        return found | secret_values(json.loads(stripped))
    except (ValueError, RecursionError):
        pass
    if _BARE_TOKEN.fullmatch(stripped):
        found.add(stripped)  # not JSON, one word: most likely the token itself
    elif "=" in stripped:  # access_token=...&token_type=bearer (form-encoded answers exist)
        found |= {v for k, v in parse_qsl(stripped, keep_blank_values=True) if is_secret_key(k)}
    return found


def credential_part(value: str) -> str:
    """For 'Basic abc' or 'Bearer abc' the secret is 'abc' (so the display keeps the scheme)."""
    scheme, sep, rest = value.partition(" ")
    if sep and rest and scheme.lower() in ("basic", "bearer", "token", "digest"):
        return rest
    return value


def mask_value(value: str, sensitive: Iterable[str], secret: bool = False) -> str:
    """A header or parameter value as a person may see it: every known secret in it masked; a value
    that is itself a secret (`secret`) is hidden whole even when too short for `mask_all`, but for
    its auth scheme (`Bearer ********`)."""
    shown = mask_all(value, sensitive)
    if secret and value and MASK not in shown:
        return value[: len(value) - len(credential_part(value))] + MASK
    return shown


class Masker:
    """Known secret values, and the names of headers that carry one, masked wherever they appear.

    The one masker of recorded calls, journey traces and the sandbox's request log. A value
    registered as "Scheme secret" (`Bearer abc...`) masks the secret alone too. Thread-safe:
    callers register from worker threads while a server or writer thread reads.
    """

    def __init__(self, secrets: Iterable[str] = (), header_names: Iterable[str] = ()) -> None:
        self._known: frozenset[str] = frozenset()
        self._ordered: tuple[str, ...] = ()  # longest first, so a secret holding another is masked whole
        # (the secrets holding no other secret, _ordered): a text shows a secret only if it shows one of the
        # first ("Bearer <token>" holds "<token>"), so a text without them is returned after fewer searches.
        self._searched: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._header_names: frozenset[str] = frozenset(h.lower() for h in header_names)
        self._memo: dict[tuple[str, str], str] = {}
        self._texts: dict[str, str] = {}
        self._lock = threading.Lock()
        self.version = 0  # changes whenever what is masked changes: a text masked before may show a secret now
        self.add(secrets)

    def add(self, values: Iterable[str]) -> None:
        fresh: set[str] = set()
        for value in values:
            if value and len(value) >= _MIN_SECRET:
                fresh.add(value)
                scheme, _, rest = value.partition(" ")
                if rest and scheme.isalpha() and len(rest) >= _MIN_SECRET:
                    fresh.add(rest)
        with self._lock:
            if not fresh <= self._known:
                self._known = self._known | fresh
                self._ordered = tuple(sorted(self._known, key=len, reverse=True))
                inner = tuple(v for v in self._ordered if not any(o != v and o in v for o in self._known))
                self._searched = (inner, self._ordered)
                self._memo, self._texts = {}, {}
                self.version += 1

    def add_header_names(self, names: Iterable[str]) -> None:
        """Mask these headers whole too (an auth's own header, whatever its name)."""
        with self._lock:
            self._header_names = self._header_names | {n.lower() for n in names}
            self._memo = {}
            self.version += 1

    def __bool__(self) -> bool:
        return bool(self._known)

    def text(self, text: str) -> str:
        inner, ordered = self._searched  # one read: the same version of both
        for secret in inner:
            if secret in text:
                break
        else:
            return text  # no secret holding no other: no secret at all
        for secret in ordered:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def holds_secret(self, text: str) -> bool:
        """Whether `text` holds a known secret (then `text(text)` masks it). For many texts joined into
        one: each secret is then searched once, not once a text. A text holds a secret only if it holds
        one of those holding no other: only those are searched."""
        for secret in self._searched[0]:
            if secret in text:
                return True
        return False

    def repeated(self, text: str) -> str:
        """`text` masked, remembered: for the texts every call of a run repeats (its URL)."""
        texts = self._texts
        shown = texts.get(text)
        if shown is None:
            shown = self.text(text)
            if len(texts) > 256:
                texts.clear()
            texts[text] = shown
        return shown

    def header(self, name: str, value: str) -> str:
        """The value of a secret-named header (or one registered with `add_header_names`) masked
        whole, any other with the known secrets masked."""
        memo, key = self._memo, (name, value)
        shown = memo.get(key)
        if shown is None:
            secret = name.lower() in self._header_names or is_secret_header(name)
            shown = MASK if secret else self.text(value)
            if len(memo) > 4096:  # bounded: dates and lengths vary per response
                memo.clear()
            memo[key] = shown
        return shown

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self.header(k, v)) for k, v in headers]


# -- recorded HTTP requests (the sandbox's log and echo) --------------------------------------
_HEADER_VERDICTS: dict[bytes, bool] = {}  # header names repeat: remember the verdict per name
_MAX_REMEMBERED = 512


def _secret_header_bytes(name: bytes) -> bool:
    verdict = _HEADER_VERDICTS.get(name)
    if verdict is None:
        verdict = is_secret_header(name.decode("latin-1"))
        if len(_HEADER_VERDICTS) < _MAX_REMEMBERED:
            _HEADER_VERDICTS[name] = verdict
    return verdict


def _masked_value(name: bytes, value: bytes) -> bytes:
    # Keep the auth scheme (``Bearer ********``): it helps and reveals nothing.
    if name in (b"authorization", b"proxy-authorization") and b" " in value:
        return value.split(b" ", 1)[0] + b" " + _MASK_BYTES
    return _MASK_BYTES


def mask_raw_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """ASGI headers (lower-case names) with secret values replaced; cheap enough for every request."""
    return [(n, _masked_value(n, v)) if _secret_header_bytes(n) else (n, v) for n, v in raw]


def headers_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers as a dict; repeated names are joined with ', '."""
    out: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def masked_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI headers as a dict with secrets masked."""
    return headers_dict(mask_raw_headers(raw))


def masked_query(query: str) -> dict[str, str]:
    """A query string as a dict, secret-named parameters masked."""
    if not query:
        return {}
    return {k: MASK if is_secret_key(k) else v for k, v in parse_qsl(query, keep_blank_values=True)}


# Cheap pre-check: only bodies containing one of these get parsed and masked. Plain substring
# tests on a lowered copy are several times faster than a case-insensitive regex.
_SECRET_NEEDLES = (b"secret", b"passw", b"pwd", b"token", b"key", b"private", b"credential", b"authorization")


def mask_body(body: bytes, content_type: str) -> bytes:
    """A body safe to record: form and JSON parameters named like secrets are masked.

    Bodies that cannot contain a secret-named key are returned as they are (no copy), so the
    log stays cheap for the common case.
    """
    if not body:
        return body
    lowered = body.lower()
    if not any(needle in lowered for needle in _SECRET_NEEDLES):
        return body
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return urlencode([(k, MASK if is_secret_key(k) else v) for k, v in pairs], safe="*").encode()
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        # Unparseable: it may still hold a secret in a shape we cannot see, so hide it all.
        return b"<body hidden: it may contain a secret>"
    return json.dumps(mask_json(parsed)).encode()


# -- free text (the log file) -------------------------------------------------------------------
_SCHEME_CREDENTIAL = re.compile(r"\b(Bearer|Basic|Token|Digest)\s+[^\s\"',;]+")  # as headers spell them
# key=value, key: value, "key": "value" where the key is secret-named (the one rule, _SECRET_NAME);
# only such keys match, so an ordinary key never swallows the secret key after it.
_KEYED_VALUE = re.compile(r"""(?<![\w.-])(?P<key>[\w.-]*(?:""" + _SECRET_NAME.pattern + r""")[\w.-]*)"""
                          r"""(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"'&,;}\]]+)""", re.I)


def mask_text(text: str, values: Iterable[str] = ()) -> str:
    """Free text (a log line, a traceback) with the rules of the recorded calls: known secret
    `values`, any JWT, the credential after an auth scheme (`Bearer ********`) and the value after a
    secret-named key (`client_secret=`, `"password": `, `X-Api-Key: `) masked."""
    text = mask_all(text, values)
    text = _JWT.sub(MASK, text)
    text = _SCHEME_CREDENTIAL.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _KEYED_VALUE.sub(lambda m: (f"{m['key']}{m['sep']}{MASK}" if is_secret_key(m["key"])
                                       and m["value"] not in (MASK, "Bearer", "Basic", "Token", "Digest")
                                       else m.group(0)), text)

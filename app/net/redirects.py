"""Following redirects by hand: httpx's rules for the method, URL and body, and credentials kept only
while the request stays on its origin (httpx itself drops only Authorization: an X-Api-Key, a token
header, a secret query parameter went to whatever host a 307 named). `redirected` is the rule on
plain header pairs (the aiohttp sender); `redirect_request` applies it to an httpx.Request."""
from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import httpx

MAX_REDIRECTS = 20  # as httpx

IsSecret = Callable[[str, str], bool]  # (name, value) -> whether it carries a credential


def never(name: str, value: str) -> bool:
    return False


def origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"


def keeps_credentials(old: httpx.URL, new: httpx.URL) -> bool:
    """Same origin (scheme, host, port), or the same host moving from http to https on the default
    ports (httpx's rule for Authorization: the credentials only become better protected)."""
    if (old.scheme, old.host, old.port) == (new.scheme, new.host, new.port):
        return True
    return (old.host == new.host and old.scheme == "http" and new.scheme == "https"
            and old.port in (None, 80) and new.port in (None, 443))


class Redirected(NamedTuple):
    method: str
    url: httpx.URL
    headers: list[tuple[str, str]]
    keeps_body: bool  # False: the body is dropped (a 301/302/303 turned into a GET)


def redirected(method: str, url: httpx.URL, headers: Sequence[tuple[str, str]], status: int, location: str,
               secret_header: IsSecret = never, secret_param: IsSecret = never) -> Redirected:
    """The request a 3xx answer with `location` asks for. Off the request's origin, every header
    and query parameter `secret_header` / `secret_param` flags is dropped (and any Cookie)."""
    new_url = _location(url, location)
    new_method = method
    if status in (302, 303) and method != "HEAD" or status == 301 and method == "POST":
        new_method = "GET"  # what browsers (and httpx) do; 307 and 308 keep the method and body
    dropped: set[str] = set()
    if not keeps_credentials(url, new_url):
        dropped = {k.lower() for k, v in headers if k.lower() == "cookie" or secret_header(k, v)}
        kept = [(k, v) for k, v in new_url.params.multi_items() if not secret_param(k, v)]
        if len(kept) != len(new_url.params.multi_items()):
            new_url = new_url.copy_with(params=httpx.QueryParams(tuple(kept)))
    keeps_body = not (new_method != method and new_method == "GET")
    if not keeps_body:
        dropped |= {"content-length", "transfer-encoding"}
    host = new_url.netloc.decode("ascii")
    out = [(k, host) if k.lower() == "host" else (k, v) for k, v in headers if k.lower() not in dropped]
    if not any(k.lower() == "host" for k, _ in out):
        out.append(("Host", host))
    return Redirected(new_method, new_url, out, keeps_body)


def redirect_request(request: httpx.Request, response: httpx.Response, secret_header: IsSecret = never,
                     secret_param: IsSecret = never) -> httpx.Request:
    """`redirected` for an httpx request and the response asking for it."""
    if "Location" not in response.headers:
        raise httpx.RemoteProtocolError("a redirect without a Location header", request=request)
    pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
    try:
        method, url, headers, keeps_body = redirected(request.method, request.url, pairs, response.status_code,
                                                      response.headers["Location"], secret_header, secret_param)
    except httpx.TransportError as exc:
        exc.request = request
        raise
    stream = request.stream if keeps_body else httpx.ByteStream(b"")
    return httpx.Request(method, url, headers=headers, stream=stream, extensions=dict(request.extensions))


def _location(url: httpx.URL, location: str) -> httpx.URL:
    try:
        new = httpx.URL(location)
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(f"Invalid URL in location header: {exc}.") from None
    if new.scheme and not new.host:  # "absolute" form without a host
        new = new.copy_with(host=url.host)
    if new.is_relative_url:
        new = url.join(new)
    if new.scheme not in ("http", "https"):
        raise httpx.UnsupportedProtocol(f"a redirect to {new.scheme}:// cannot be followed")
    if url.fragment and not new.fragment:
        new = new.copy_with(fragment=url.fragment)
    return new

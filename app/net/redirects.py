"""Following redirects by hand: httpx's rules for the method, URL and body, and credentials kept only
while the request stays on its origin (httpx itself drops only Authorization: an X-Api-Key, a token
header, a secret query parameter went to whatever host a 307 named)."""
from __future__ import annotations

from typing import Callable

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


def redirect_request(request: httpx.Request, response: httpx.Response, secret_header: IsSecret = never,
                     secret_param: IsSecret = never) -> httpx.Request:
    """The request a 3xx answer with a Location asks for. Off the request's origin, every header
    and query parameter `secret_header` / `secret_param` flags is dropped (and any Cookie)."""
    url = _location(request, response)
    method = request.method
    status = response.status_code
    if status in (302, 303) and method != "HEAD" or status == 301 and method == "POST":
        method = "GET"  # what browsers (and httpx) do; 307 and 308 keep the method and body
    headers = httpx.Headers(request.headers)
    headers["Host"] = url.netloc.decode("ascii")
    if not keeps_credentials(request.url, url):
        for name, value in list(headers.items()):
            if name.lower() == "cookie" or secret_header(name, value):
                del headers[name]
        kept = [(k, v) for k, v in url.params.multi_items() if not secret_param(k, v)]
        if len(kept) != len(url.params.multi_items()):
            url = url.copy_with(params=httpx.QueryParams(tuple(kept)))
    stream = request.stream
    if method != request.method and method == "GET":
        headers.pop("Content-Length", None)
        headers.pop("Transfer-Encoding", None)
        stream = httpx.ByteStream(b"")
    return httpx.Request(method, url, headers=headers, stream=stream, extensions=dict(request.extensions))


def _location(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    try:
        url = httpx.URL(response.headers["Location"])
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(f"Invalid URL in location header: {exc}.", request=request) from None
    if url.scheme and not url.host:  # "absolute" form without a host
        url = url.copy_with(host=request.url.host)
    if url.is_relative_url:
        url = request.url.join(url)
    if url.scheme not in ("http", "https"):
        raise httpx.UnsupportedProtocol(f"a redirect to {url.scheme}:// cannot be followed", request=request)
    if request.url.fragment and not url.fragment:
        url = url.copy_with(fragment=request.url.fragment)
    return url

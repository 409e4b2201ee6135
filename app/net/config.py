"""NetConfig: what every outbound call shares: the response caps, TLS verification and proxies.

Every path builds its transports here, so a URL goes through the same proxy with the same TLS
context whether httpx or aiohttp carries it (`ProxyRoutes`: httpx's mount rules, for the aiohttp
sender). The proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), read
with the function httpx's own clients use; clients are then made with `trust_env=False` so that
nothing reads the environment a second way.
"""
from __future__ import annotations

import importlib.util
import os
import ssl
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional

import httpx

# httpcore asks sniffio which async library runs each time it sets up a lock, an event or a cancellation
# shield (a few times a call). sniffio is optional (httpx no longer installs it), and each failed import
# searched every folder of sys.path again (~60 us, a stat of each). Known absent, it fails at once.
if importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]  # None: "not installed", as import reads it

DEFAULT_RESPONSE_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_TOKEN_MAX_BYTES = 1024 * 1024

# Makes one transport: direct (None) or through the given proxy.
TransportFactory = Callable[[Optional[httpx.Proxy]], httpx.AsyncBaseTransport]


class UnusableProxy(httpx.ProxyError):
    """The environment names a proxy no transport here can use: the call fails, it never goes direct."""


@dataclass(frozen=True)
class NetConfig:
    response_max_bytes: int = DEFAULT_RESPONSE_MAX_BYTES  # read of an action's response body
    token_max_bytes: int = DEFAULT_TOKEN_MAX_BYTES  # read of a token endpoint's response body
    verify: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> "NetConfig":
        """From the workspace settings (app.settings.WorkspaceSettings)."""
        return cls(settings.response_max_bytes, settings.token_response_max_bytes)

    def ssl_context(self) -> ssl.SSLContext:
        """The one TLS context of every path (httpx's: certifi, or SSL_CERT_FILE / SSL_CERT_DIR)."""
        key = (self.verify, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
        with _lock:
            context = _contexts.get(key)
            if context is None:  # loading the CA bundle costs ~20 ms: once per process
                context = _contexts[key] = httpx.create_ssl_context(verify=self.verify)
            return context

    def client_options(self, factory: TransportFactory) -> dict[str, Any]:
        """`transport`, `mounts` and `trust_env` for an httpx client whose transports `factory` makes."""
        return {"transport": factory(None), "mounts": self.mounts(factory), "trust_env": False}

    def httpx_options(self, connections: int = 8) -> dict[str, Any]:
        """`client_options` over httpx's own (httpcore) transports: one call, token calls."""
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        context = self.ssl_context()
        return self.client_options(lambda proxy: httpx.AsyncHTTPTransport(verify=context, proxy=proxy, limits=limits,
                                                                           trust_env=False))

    def mounts(self, factory: TransportFactory) -> dict[str, Optional[httpx.AsyncBaseTransport]]:
        """httpx mounts for the environment's proxies (None: direct, for NO_PROXY hosts)."""
        mounts: dict[str, Optional[httpx.AsyncBaseTransport]] = {}
        for pattern, route in _environment_routes().items():
            mounts[pattern] = None if route is None else (
                _Refusing(str(route)) if isinstance(route, UnusableProxy) else factory(route))
        return mounts


# How a URL goes out: direct (None), through a proxy, or refused (a proxy that cannot be used).
Route = Optional["httpx.Proxy | UnusableProxy"]


class ProxyRoutes:
    """The environment's proxies as httpx's clients apply them (the most specific pattern first:
    port, then host length, then scheme), read once; the route of each origin is kept."""

    def __init__(self) -> None:
        from httpx._utils import URLPattern  # the pattern matching httpx's own mounts use

        found = [(URLPattern(p), route) for p, route in _environment_routes().items()]
        self._patterns = [(p, route) for p, route in sorted(found, key=lambda item: item[0])]
        self._by_origin: dict[tuple[str, str, Optional[int]], Route] = {}

    def route(self, url: httpx.URL) -> Route:
        key = (url.scheme, url.host, url.port)
        if key not in self._by_origin:
            self._by_origin[key] = next((r for p, r in self._patterns if p.matches(url)), None)
        return self._by_origin[key]


_lock = threading.Lock()
_contexts: dict[tuple[Any, ...], ssl.SSLContext] = {}


def _environment_routes() -> dict[str, Route]:
    """Pattern -> route for HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY."""
    from httpx._utils import get_environment_proxies  # what httpx itself reads with trust_env

    return {pattern: None if url is None else _proxy(url) for pattern, url in get_environment_proxies().items()}


def _proxy(url: str) -> "httpx.Proxy | UnusableProxy":
    try:
        proxy = httpx.Proxy(url)
    except ValueError as exc:
        return UnusableProxy(f"the proxy {url!r} from the environment cannot be used: {exc}")
    if proxy.url.scheme not in ("http", "https"):
        return UnusableProxy(f"the proxy {proxy.url.scheme}://{proxy.url.netloc.decode()} from the environment is "
                             "not supported: use an http:// proxy (or NO_PROXY for this host)")
    return proxy


class _Refusing(httpx.AsyncBaseTransport):
    """Stands for a proxy that cannot be used: every request fails saying why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise UnusableProxy(self.reason)

"""httpx clients for tests, all on one TLS context.

httpx loads the CA bundle into a new TLS context for every client made with the default `verify`
(20-70 ms of CPU each on the CI machine: a third of the sandbox tests' time when each test made its
own client). The context is the one httpx would make; the clients are otherwise as the caller asks.
"""
from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def client(**kwargs: Any) -> httpx.Client:
    """httpx.Client(**kwargs), on the shared TLS context unless `verify` is given."""
    kwargs.setdefault("verify", tls_context())
    return httpx.Client(**kwargs)

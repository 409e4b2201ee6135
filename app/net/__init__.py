"""The rules every outbound call follows, whoever makes it (one action call, a batch, a token call):
one TLS context and the environment's proxies for every path (`config`), bodies read up to a cap
(`reading`), redirects that never carry credentials to another origin (`redirects`), headers
checked before anything is sent (`headers`)."""
from app.net.config import DEFAULT_RESPONSE_MAX_BYTES, DEFAULT_TOKEN_MAX_BYTES, NetConfig, UnusableProxy
from app.net.headers import header_problem
from app.net.reading import INFLATED, Inflater, inflated, read_capped
from app.net.redirects import MAX_REDIRECTS, Redirected, keeps_credentials, origin, redirect_request, redirected

__all__ = ["DEFAULT_RESPONSE_MAX_BYTES", "DEFAULT_TOKEN_MAX_BYTES", "INFLATED", "MAX_REDIRECTS", "Inflater",
           "NetConfig", "Redirected", "UnusableProxy", "header_problem", "inflated", "keeps_credentials", "origin",
           "read_capped", "redirect_request", "redirected"]

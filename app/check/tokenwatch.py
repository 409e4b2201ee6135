"""The token endpoint as a check sees it: every fetch, and the cache duration against the expiry."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional

from app.auth.cache import MARGIN_S, margin
from app.auth.engine import AuthEngine
from app.auth.request import TokenRequest
from app.auth.token import Exchange
from app.model.auth import CustomAuth


@dataclass(frozen=True)
class TokenFetch:
    status: int
    elapsed_ms: float
    expires_in_s: Optional[float]  # the token's real lifetime, when the response says it


class WatchedEngine(AuthEngine):
    """An AuthEngine with a cache of its own (the check measures the token endpoint, it does not
    reuse a token the window fetched) that records each token call it makes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fetches: list[TokenFetch] = []

    async def _asend(self, request: TokenRequest, timeout: float) -> Exchange:
        exchange = await super()._asend(request, timeout)
        self.fetches.append(TokenFetch(exchange.status, exchange.elapsed_ms, _expires_in(exchange)))
        return exchange


def _expires_in(exchange: Exchange) -> Optional[float]:
    """OAuth's `expires_in` (seconds) of a JSON token response, if any."""
    try:
        data = json.loads(exchange.text)
    except ValueError:
        return None
    value = data.get("expires_in") if isinstance(data, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


@dataclass
class TokenReport:
    """Fetches, and whether the cache duration keeps the recommended minute before the expiry."""

    custom: bool
    fetches: list[TokenFetch] = field(default_factory=list)
    cache_duration_s: Optional[float] = None   # the action's cacheDuration (or the expiry it reads)
    expires_in_s: Optional[float] = None       # what the token endpoint says
    reused_for_s: Optional[float] = None       # how long this app reuses a token (its own margin)
    verdict: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"custom": self.custom, "fetches": len(self.fetches),
                "failedFetches": sum(1 for f in self.fetches if not 200 <= f.status < 300),
                "fetchMs": [round(f.elapsed_ms, 1) for f in self.fetches[:5]],
                "cacheDurationS": self.cache_duration_s, "expiresInS": self.expires_in_s,
                "reusedForS": self.reused_for_s, "verdict": self.verdict}


def token_report(auth: Any, engine: WatchedEngine) -> TokenReport:
    """What the check saw of the action's token endpoint."""
    if not isinstance(auth, CustomAuth):
        return TokenReport(False, verdict="no token endpoint (the action's authentication fetches no token)")
    report = TokenReport(True, list(engine.fetches))
    good = [f for f in report.fetches if 200 <= f.status < 300]
    report.expires_in_s = next((f.expires_in_s for f in reversed(good) if f.expires_in_s), None)
    report.cache_duration_s = auth.cache_seconds()
    if report.cache_duration_s is None:  # expiryInResponse: the platform caches until that expiry
        report.cache_duration_s = report.expires_in_s
    if report.cache_duration_s is not None:
        report.reused_for_s = report.cache_duration_s - margin(report.cache_duration_s)
    report.verdict = _verdict(report, len(good))
    return report


def _verdict(report: TokenReport, good: int) -> str:
    if not report.fetches:
        return "the token endpoint was not called"
    if not good:
        return f"every token call failed ({len(report.fetches)} made)"
    cache, expiry = report.cache_duration_s, report.expires_in_s
    if cache is None or expiry is None:
        return "the token response gives no expires_in: check the cache duration against the token's real expiry"
    left = expiry - cache
    if left < 0:
        return (f"the cache duration ({cache:g} s) outlives the token ({expiry:g} s): the platform would send "
                f"expired tokens; set it to {max(expiry - MARGIN_S, 1):g} s or less")
    if left < MARGIN_S:
        return (f"only {left:g} s between the cache duration ({cache:g} s) and the expiry ({expiry:g} s): keep at "
                f"least a minute, a cache duration of {max(expiry - MARGIN_S, 1):g} s or less")
    return f"ok: cached {cache:g} s, expires after {expiry:g} s ({left:g} s of margin)"


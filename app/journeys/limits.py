"""Capping and throttling configurations in the platform's own JSON, so a deployed one pastes as is.

Capping (calls over the cap are rejected as `capped`):
  {"url": "https://api.example.com/*", "methods": ["POST"],
   "services": {"action": {"maxHttpConnections": 400, "rating": {"maxCallsCount": 500, "periodInMs": 1000}}}}
Throttling (calls over the limit wait in a FIFO queue):
  {"urlPattern": "https://api.example.com/*", "methods": ["POST"], "maxThroughput": 200}
Fields the platform adds to a deployed configuration (`_id`, `orgId`, dates...) are kept as they
are (extra="allow"), never dropped on save.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, Optional

from pydantic import ConfigDict, Field

from app.model.base import Model

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
DEFAULT_CAP_PER_MINUTE = 300_000  # per host, without a capping configuration


class Rating(Model):
    max_calls_count: int = Field(gt=1)
    period_in_ms: int = Field(gt=0)


class CappingService(Model):
    model_config = ConfigDict(extra="allow")

    max_http_connections: Optional[int] = Field(default=None, ge=1, le=400)
    rating: Rating


class CappingServices(Model):
    model_config = ConfigDict(extra="allow")

    action: Optional[CappingService] = None
    data_source: Optional[CappingService] = None


class CappingConfig(Model):
    """One endpoint's cap (per URL pattern and methods)."""

    model_config = ConfigDict(extra="allow")

    url: str = Field(min_length=1)
    methods: list[HttpMethod] = Field(min_length=1)
    services: CappingServices

    def applies_to(self, url: str, method: str) -> bool:
        return method.upper() in self.methods and url_matches(self.url, url)


class ThrottlingConfig(Model):
    """One endpoint's throughput limit (calls over it are queued in order, up to 6 hours)."""

    model_config = ConfigDict(extra="allow")

    url_pattern: str = Field(min_length=1)
    methods: list[HttpMethod] = Field(min_length=1)
    max_throughput: int = Field(ge=200, le=5000)

    def applies_to(self, url: str, method: str) -> bool:
        return method.upper() in self.methods and url_matches(self.url_pattern, url)


def url_matches(pattern: str, url: str) -> bool:
    """True when url matches the platform's pattern (`*` stands for any text, the rest is literal)."""
    return _compiled(pattern).fullmatch(url) is not None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> "re.Pattern[str]":
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))

"""A fixed context for expression tests: a purchase event, a profile, an action response, a frozen clock."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from app.journeys.expr import Context

NOW = datetime(2024, 3, 10, 12, 0, 0, tzinfo=timezone.utc)


def make_context(**overrides: object) -> Context:
    values: dict[str, object] = dict(
        events={
            "purchase": {"value": 150, "currency": "EUR", "customerId": "c-42", "ts": "2024-03-09T08:30:00Z",
                         "items": [{"sku": "A1", "price": 20, "qty": 1}, {"sku": "B2", "price": 30, "qty": 2},
                                   {"sku": "C3", "price": 50, "qty": None}],
                         "tags": ["new", None, "vip"]},
            "LobbyBeacon": {"endUserIDs": {"_experience": {"emailid": {"id": None}}},
                            "pushNotificationTokens": [{"token": "t1", "application": {"version": "1.0"}},
                                                       {"token": "t2", "application": {"version": "2.0"}}]},
            "myevent": {"productListItems": [{"id": "product1", "name": "the product 1", "price": 20},
                                             {"id": "product2", "name": "the product 2", "price": 30},
                                             {"id": "product3", "name": "the product 3", "price": 50}]},
        },
        profile={"person.name.firstName": "Ann", "personalEmail": {"address": "ann@example.com"},
                 "identityMap": {"Email": [{"id": "ann@example.com"}]}},
        audiences=frozenset({"VIP"}),
        actions={"writeJourneyEvent": {"jo_status_code": "http_200", "id": "w-1"}},
        journey={"journeyVersionUID": "v-1", "journeyUID": "j-1"},
        now=NOW, tz="Europe/Paris", rng=random.Random(7),
    )
    values.update(overrides)
    return Context(**values)  # type: ignore[arg-type]


@pytest.fixture
def ctx() -> Context:
    return make_context()

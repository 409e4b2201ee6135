"""The platform's documented examples (functions, literals, references) and their values; every function
the reference names is used at least once here."""
from __future__ import annotations

import random
import uuid

import pytest

from app.journeys.expr import FUNCTIONS, Context, evaluate, infer_type, parse
from app.journeys.expr.nodes import Call

REFERENCE_FUNCTIONS = """toBool toDateOnly toDateTime toDateTimeOnly toDecimal toDuration toInteger toString now nowWithDelta
currentTimeInMillis inLastDays inLastHours inNextDays inNextHours setHours setDays updateTimeZone concat contain
containIgnoreCase endWith startWith equalIgnoreCase indexOf isEmpty isNotEmpty length lower upper matchRegExp
replace replaceAll split substr trim uuid round random avg count max min sum distinct filter getListItem in
intersect limit listSize sort serializeList inAudience""".split()

# (expression, value as JSON, type). The context is conftest.make_context: the clock is 2024-03-10T12:00Z,
# the journey's time zone Europe/Paris.
EXAMPLES = [
    # literals (data types page)
    ('"hello world"', "hello world", "string"),
    ("'hello world'", "hello world", "string"),
    ("42", 42, "integer"),
    ("3.14", 3.14, "decimal"),
    ("true", True, "boolean"),
    ('date("2021-02-19")', "2021-02-19", "dateOnly"),
    ('date("2021-02-19T10:30")', "2021-02-19T10:30:00", "dateTimeOnly"),
    ('["a", "b"]', ["a", "b"], "listString"),
    ("[1, 2.5]", [1, 2.5], "listDecimal"),
    # field references
    ("@event{purchase.value}", 150, "integer"),
    ('@{LobbyBeacon.endUserIDs._experience.emailid.id, defaultValue: "example@adobe.com"}', "example@adobe.com", "string"),
    ('@event{LobbyBeacon.endUserIDs._experience.emailid.id, defaultValue: "example@adobe.com"}', "example@adobe.com", "string"),
    ("#{ExperiencePlatform.ProfileFieldGroup.profile.personalEmail.address}", "ann@example.com", "string"),
    ("#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName}", "Ann", "string"),
    ("#{ExperiencePlatform.ProfileFieldGroup.identityMap.entry('Email').first().id}", "ann@example.com", "string"),
    ('count(@event{LobbyBeacon.pushNotificationTokens.all(currentEventField.application.version == "1.0").token}) > 0',
     True, "boolean"),
    ('@event{LobbyBeacon.pushNotificationTokens.first(currentEventField.application.version == "2.0").token}', "t2", "string"),
    ("@event{LobbyBeacon.pushNotificationTokens.last().token}", "t2", "string"),
    ("@event{LobbyBeacon.pushNotificationTokens.at(0).token}", "t1", "string"),
    ("@event{purchase.items.price}", [20, 30, 50], "listInteger"),
    ("@event{myevent.productListItems.at(1).keys()}", ["id", "name", "price"], "listString"),
    ("@action{writeJourneyEvent.jo_status_code}", "http_200", "string"),
    ("@journey{journeyVersionUID}", "v-1", "string"),
    # conversion
    ('toBool("true")', True, "boolean"),
    ("toBool(0)", False, "boolean"),
    ('toDateOnly("2023-08-18T23:17:59.123Z")', "2023-08-18", "dateOnly"),
    ('toDateTime("2023-08-18T23:17:59.123Z")', "2023-08-18T23:17:59.123Z", "dateTime"),
    ("toDateTime(1692400679123)", "2023-08-18T23:17:59.123Z", "dateTime"),
    ('toDateTimeOnly("2023-08-18T23:17:59.123")', "2023-08-18T23:17:59.123", "dateTimeOnly"),
    ('toDecimal("3.14")', 3.14, "decimal"),
    ('toDuration("PT5M")', "PT5M", "duration"),
    ("toDuration(90000)", "PT1M30S", "duration"),
    ('toInteger("123")', 123, "integer"),
    ("toInteger(-3.9)", -3, "integer"),
    ('toInteger(toDuration("PT1S"))', 1000, "integer"),
    ("toString(42)", "42", "string"),
    ("toString(true)", "true", "string"),
    # dates (the clock is 2024-03-10T12:00:00Z)
    ("now()", "2024-03-10T12:00:00Z", "dateTime"),
    ('now("Europe/Paris")', "2024-03-10T13:00:00+01:00", "dateTime"),
    ('nowWithDelta(-2, "hours")', "2024-03-10T10:00:00Z", "dateTime"),
    ('nowWithDelta(1, "months", "Europe/Paris")', "2024-04-10T13:00:00+02:00", "dateTime"),
    ("currentTimeInMillis()", 1710072000000, "integer"),
    ("inLastDays(@event{purchase.ts}, 2)", True, "boolean"),
    ("inLastHours(@event{purchase.ts}, 12)", False, "boolean"),
    ('inNextDays(toDateTime("2024-03-12T00:00:00Z"), 3)', True, "boolean"),
    ('inNextHours(toDateTime("2024-03-12T00:00:00Z"), 3)', False, "boolean"),
    ('setHours(toDateTime("2024-03-10T08:15:00Z"), 17)', "2024-03-10T17:15:00Z", "dateTime"),
    ('setDays(toDateOnly("2024-02-10"), 29)', "2024-02-29", "dateOnly"),
    ('updateTimeZone( toDateTime("2019-08-28T08:15:30.123-07:00"), "Europe/Paris")', "2019-08-28T17:15:30.123+02:00",
     "dateTime"),
    ('updateTimeZone(toDateTime("2021-11-16T16:55:12.939+01:00"), "Australia/Sydney")', "2021-11-17T02:55:12.939+11:00",
     "dateTime"),
    # strings
    ('concat("Hello","World")', "HelloWorld", "string"),
    ('concat(["Hello"," ","World"])', "Hello World", "string"),
    ('contain("rowing is great", "great")', True, "boolean"),
    ('containIgnoreCase("rowing is great", "GREAT")', True, "boolean"),
    ('endWith("Hello World", "World")', True, "boolean"),
    ('startWith("Hello World", "World")', False, "boolean"),
    ('equalIgnoreCase("Hello", "hELLO")', True, "boolean"),
    ('indexOf("Hello", "l")', 2, "integer"),
    ('indexOf("Hello", "z")', -1, "integer"),
    ('isEmpty("")', True, "boolean"),
    ("isEmpty(@event{purchase.nothing})", True, "boolean"),
    ('isNotEmpty("Hello")', True, "boolean"),
    ('length("Hello")', 5, "integer"),
    ('lower("HeLLo")', "hello", "string"),
    ('upper("HeLLo")', "HELLO", "string"),
    ('matchRegExp("12345", "\\\\d+")', True, "boolean"),
    ('matchRegExp("12a45", "\\\\d+")', False, "boolean"),
    ('replace("Hello World", "l", "x")', "Hexlo World", "string"),
    ('replaceAll("Hello World", "l", "x")', "Hexxo Worxd", "string"),
    ('replaceAll("a.b.c", "\\\\.", "-")', "a-b-c", "string"),
    ('replaceAll("2024-03-10", "(\\\\d+)-(\\\\d+)-(\\\\d+)", "$3/$2/$1")', "10/03/2024", "string"),
    ('split("a,b,c", ",")', ["a", "b", "c"], "listString"),
    ('substr("Hello World", 0, 5)', "Hello", "string"),
    ('trim("  Hello  ")', "Hello", "string"),
    # math
    ("round(3.5)", 4, "integer"),
    ("round(-3.5)", -3, "integer"),
    ("round(3.49)", 3, "integer"),
    # aggregation and lists
    ("avg([1, 2, 4])", 7 / 3, "decimal"),
    ("count(@event{purchase.items.qty})", 2, "integer"),
    ("count(@event{purchase.tags})", 2, "integer"),
    ("listSize(@event{purchase.tags})", 3, "integer"),
    ("max([1, 5, 3])", 5, "integer"),
    ("min(@event{purchase.items.price})", 20, "integer"),
    ("sum(@event{purchase.items.price})", 100, "integer"),
    ("sum([1, 2.5])", 3.5, "decimal"),
    ("distinct([1, 2, 2, 3, 1])", [1, 2, 3], "listInteger"),
    ('filter(@event{myevent.productListItems}, "id", ["product2", "product3", "product4"])',
     [{"id": "product2", "name": "the product 2", "price": 30}, {"id": "product3", "name": "the product 3", "price": 50}],
     "listObject"),
    ('getListItem(["a", "b", "c"], 1)', "b", "string"),
    ('in("b", ["a", "b"])', True, "boolean"),
    ("in(1, [true])", False, "boolean"),
    ("intersect([1, 2, 3], [2, 3, 4])", [2, 3], "listInteger"),
    ('limit(["A", "B", "C", "D", "E"], 3)', ["A", "B", "C"], "listString"),
    ('limit(["A", "B", "C", "D", "E"], 3, false)', ["C", "D", "E"], "listString"),
    ('sort(["A", "C", "B"], true)', ["A", "B", "C"], "listString"),
    ("sort([1, 3, 2], false)", [3, 2, 1], "listInteger"),
    ('sort(@event{myevent.productListItems}, "price", false)',
     [{"id": "product3", "name": "the product 3", "price": 50}, {"id": "product2", "name": "the product 2", "price": 30},
      {"id": "product1", "name": "the product 1", "price": 20}], "listObject"),
    ('serializeList(["Hello","World"], " ", false)', "Hello World", "string"),
    ('serializeList(["Hello", "World"], ",", true)', '"Hello","World"', "string"),
    # profile
    ('inAudience("VIP")', True, "boolean"),
    ('inAudience("Churned")', False, "boolean"),
    # operators
    ("7 / 2", 3, "integer"),
    ("7.0 / 2", 3.5, "decimal"),
    ("7 / 0", 0, "integer"),
    ("-7 % 3", -1, "integer"),
    ('"Total: " + 150', "Total: 150", "string"),
    ('toDateTime("2024-01-01T00:00:00Z") + toDuration("P1DT2H")', "2024-01-02T02:00:00Z", "dateTime"),
    ('toDateOnly("2024-02-28") + toDuration("P2D")', "2024-03-01", "dateOnly"),
    ("@event{purchase.value} > 100 and @event{purchase.currency} == \"EUR\"", True, "boolean"),
    ("not (@event{purchase.value} > 100)", False, "boolean"),
    ("@event{purchase.nothing} is null", True, "boolean"),
    ("@event{purchase.value} is not null", True, "boolean"),
    ("@event{purchase.tags} has null", True, "boolean"),
    ('"12" is numeric', True, "boolean"),
    ('"1.5" is integer', False, "boolean"),
    ("1.5 is decimal", True, "boolean"),
    ('if (@event{purchase.value} > 100) then ("VIP") else ("regular")', "VIP", "string"),
]


@pytest.mark.parametrize("text,expected,kind", EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_documented_examples(ctx: Context, text: str, expected: object, kind: str) -> None:
    value = evaluate(text, ctx)
    assert value.type == kind
    assert value.to_json() == (pytest.approx(expected) if isinstance(expected, float) else expected)


def test_uuid_and_random_come_from_the_seeded_generator(ctx: Context) -> None:
    first = evaluate("uuid()", ctx).value
    assert uuid.UUID(first).version == 4
    assert first == evaluate("uuid()", Context(rng=random.Random(7))).value
    drawn = evaluate("random()", ctx)
    assert drawn.type == "decimal" and 0 <= drawn.value < 1


def test_every_function_the_reference_names_exists_and_is_used_here() -> None:
    assert set(REFERENCE_FUNCTIONS) <= set(FUNCTIONS)
    used = {n.name for text, _, _ in EXAMPLES for n in parse(text).root.walk() if isinstance(n, Call)}
    used |= {"uuid", "random"}
    assert set(FUNCTIONS) - used == set()



@pytest.mark.parametrize("text,expected,kind", EXAMPLES, ids=[e[0][:60] for e in EXAMPLES])
def test_the_type_inferred_before_running_is_the_type_evaluated(ctx: Context, text: str, expected: object,
                                                                kind: str) -> None:
    inferred = infer_type(text)  # no schema: references are of unknown type
    assert inferred is None or inferred.name in (kind, "listAny")

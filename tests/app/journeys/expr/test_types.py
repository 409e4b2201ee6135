"""Type inference before a run: types from literals, example payloads and signatures; type errors with
positions; what fits an action field."""
from __future__ import annotations

import pytest

from app.journeys.expr import JOURNEY_PROPERTIES, Schema, TypeInfo, check_field, check_types, fits, infer_type

SCHEMA = Schema.from_examples(
    events={"purchase": {"value": 150.5, "count": 2, "customerId": "c-1", "ts": "2024-01-02T10:00:00Z",
                         "day": "2024-01-02", "items": [{"sku": "A", "price": 10}], "tags": ["a"]}},
    actions={"lookup": {"tier": "gold", "score": 7}},
    error_responses={"lookup": {"code": "E1"}},
    profile={"person.name.firstName": "Ann", "loyalty": {"points": 10}},
)


@pytest.mark.parametrize("text,kind", [
    ("1", "integer"), ("1.5", "decimal"), ('"a"', "string"), ("true", "boolean"), ("[1, 2]", "listInteger"),
    ("[1, 2.5]", "listDecimal"), ("[]", "listAny"), ('date("2024-01-01")', "dateOnly"),
    ('date("2024-01-01T10:00")', "dateTimeOnly"), ('date("2024-01-01T10:00Z")', "dateTime"),
    ("@event{purchase.value}", "decimal"), ("@event{purchase.count} + 1", "integer"),
    ("@event{purchase.count} / 2", "integer"), ("@event{purchase.value} * 2", "decimal"),
    ("@event{purchase.ts}", "dateTime"), ("@event{purchase.day}", "dateOnly"),
    ('@event{purchase.ts} + toDuration("PT1H")', "dateTime"), ("@event{purchase.items.price}", "listInteger"),
    ("@event{purchase.items.all(currentEventField.price > 5).sku}", "listString"),
    ("@event{purchase.items.first(currentEventField.sku == \"A\").price}", "integer"),
    ("@event{purchase.items.at(0)}", "object"),
    ("@action{lookup.tier}", "string"), ("@action{lookup.jo_status_code}", "string"),
    ("@action{lookup.errorResponse.code}", "string"),
    ("#{ExperiencePlatform.G.profile.person.name.firstName}", "string"),
    ("#{ExperiencePlatform.G.profile.loyalty.points} > 5", "boolean"),
    ("@journey{lastActionExecutionElapsedTime}", "integer"), ("@journey{journeyVersionUID}", "string"),
    ('"id-" + @event{purchase.count}', "string"), ("@event{purchase.customerId} == 3", "boolean"),
    ('if (true) then (1) else (2.5)', "decimal"), ("sum(@event{purchase.items.price})", "integer"),
    ("avg([1, 2])", "decimal"), ("max(@event{purchase.items.price})", "integer"), ("limit(@event{purchase.tags}, 1)", "listString"),
    ('split("a,b", ",")', "listString"), ("getListItem(@event{purchase.tags}, 0)", "string"),
    ('setHours(@event{purchase.ts}, 3)', "dateTime"), ('setDays(date("2024-01-01"), 3)', "dateOnly"),
    ('setHours(date("2024-01-01"), 3)', "dateTimeOnly"),
    ("count(@event{purchase.tags})", "integer"), ('toDateTime("2024-01-01T00:00:00Z")', "dateTime"),
])
def test_inferred_types(text: str, kind: str) -> None:
    problems: list = []
    assert str(infer_type(text, SCHEMA, problems)) == kind
    assert problems == []


@pytest.mark.parametrize("text", ["@event{unknownEvent.x}", "@action{otherAction.y}", "#{ExperiencePlatform.G.profile.x}",
                                  "@event{purchase.value} + @event{other.x}"])
def test_unknown_sources_are_any_type(text: str) -> None:
    problems: list = []
    infer_type(text, Schema(), problems)
    assert problems == []


@pytest.mark.parametrize("text,message,at", [
    ('@event{purchase.customerId} > 3', "> compares numbers with numbers and dates with dates, not string with integer", 1),
    ('upper(@event{purchase.value})', "upper(decimal) does not fit: expected upper(string)", 1),
    ('1 + (true * 2)', "cannot multiply boolean and integer: both must be numbers", 6),
    ("1 and true", "and expects true or false on both sides, got integer", 3),
    ('[1, "a"]', "a list holds items of one type, not integer and string", 1),
    ('if (1) then ("a") else ("b")', "if expects true or false, got integer", 5),
    ('if (true) then (1) else ("b")', "the branches of if give different types: integer and string", 1),
    ("not 3", "not expects true or false, got integer", 5),
    ('@event{purchase.ts} - toDuration("PT1H")', "only + moves a date", 1),
    ("@journey{journeyVersion_UID}", "unknown journey property 'journeyVersion_UID'", 1),
    ("currentEventField.price > 1", "currentEventField only has a value inside a collection function", 1),
    ("@event{purchase.items.all(currentEventField.price)}", ".all() takes a condition (boolean), got integer", 27),
    ('date("tomorrow")', "'tomorrow' is not an ISO 8601 date or date-time", 6),
])
def test_type_errors_have_positions(text: str, message: str, at: int) -> None:
    problems = check_types(text, SCHEMA)
    assert [(p.severity, p.column) for p in problems] == [("error", at)]
    assert message in problems[0].message
    assert problems[0].line == 1


def test_a_field_missing_from_the_example_is_a_warning_unless_it_has_a_default() -> None:
    problems = check_types("@event{purchase.colour} == \"red\"", SCHEMA)
    assert [(p.severity, p.message, p.column) for p in problems] == [
        ("warning", "the example of event 'purchase' has no field 'colour' (the value will be null)", 17)]
    assert check_types('@event{purchase.colour, defaultValue: "red"}', SCHEMA) == []
    assert infer_type('@event{purchase.colour, defaultValue: "red"}', SCHEMA) == TypeInfo("string")


@pytest.mark.parametrize("text,field_type,ok", [
    ("@event{purchase.customerId}", "string", True), ("@event{purchase.customerId}", "integer", False),
    ("@event{purchase.count}", "decimal", True), ("@event{purchase.value}", "integer", False),
    ("@event{purchase.ts}", "dateTime", True), ("@event{purchase.ts}", "string", True),
    ("@event{purchase.items.price}", "listDecimal", True), ("@event{purchase.items.price}", "listString", False),
    ("@event{purchase.items}", "listObject", True), ("@event{purchase.tags}", "listAny", True),
    ("@event{unknown.x}", "integer", True), ("@journey{journeyVersionUID}", "string", True),
])
def test_what_fits_an_action_field(text: str, field_type: str, ok: bool) -> None:
    problems = check_field(text, SCHEMA, field_type, "body.customerId")
    assert (problems == []) is ok
    if not ok:
        assert problems[0].message.startswith(f"body.customerId is {field_type}; this expression gives ")


def test_fits_and_type_names() -> None:
    assert fits(TypeInfo("integer"), "decimal") and not fits(TypeInfo("decimal"), "integer")
    assert fits(None, "boolean") and fits(TypeInfo("null"), "object")
    assert TypeInfo("listDateTime").item == TypeInfo("dateTime") and TypeInfo("listAny").item is None
    assert JOURNEY_PROPERTIES["journeyVersionUID"] == "string"

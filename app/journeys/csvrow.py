"""A CSV header's rows typed by straight-line code made once for that header (ProfileSource._csv_row's
loop unrolled): each cell read, typed and put in its place without the loop's unpacking and branching
per cell, the nested attributes' objects made in place (~40 % of a row's reading, once for every profile).

`compiled_row(plan, example_copy)` gives the function, or None for a header it does not take: a column
placed inside the event's example, a column whose path lies inside another's (`loyalty` and
`loyalty.tier`: the second may find a value where it wants an object) or with an empty name. For the
headers it takes, no cell can be misplaced, and the function gives what _csv_row gives, Rejection for
Rejection (tests/app/journeys/test_csvrow.py compares them on random headers and cells).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from app.journeys import cells

if TYPE_CHECKING:
    from app.journeys.profiles import Column, Item

RowFunction = Callable[[int, int, list[str]], "Item"]


def compiled_row(plan: list[Column], example_copy: Callable[[], dict[str, Any]]) -> Optional[RowFunction]:
    # Here, not above: app.journeys.profiles imports this module (its reader makes the rows with it).
    from app.journeys.profiles import _NOT_UTF8, ProfileRow, Rejection, _check_id, _Rejected

    if not _takes(plan):
        return None
    names: dict[str, Any] = {"_copy": example_copy, "_Rejected": _Rejected, "_Rejection": Rejection,
                             "_ProfileRow": ProfileRow, "_check_id": _check_id, "_bad": _NOT_UTF8.search,
                             "_CellError": cells.CellError, "_GUESSED": cells.GUESSED_FIRST}
    lines = ["def row_of(row, line, values):",
             f"    if len(values) != {len(plan)}:",
             f"        return _Rejection(row, line, None, f'{{len(values)}} cells where the header has {len(plan)}')",
             "    event = _copy()", "    attributes = {}", "    profile_id = None", "    audiences = None",
             "    all_ascii = ''.join(values).isascii()",  # every cell ASCII (most rows): no cell asked on its own
             "    try:"]
    for i, (name, convert, place) in enumerate(plan):
        names[f"_n{i}"], names[f"_c{i}"] = name, convert
        lines += [f"        t = values[{i}]",
                  "        if t:",  # an empty cell gives nothing (and is ASCII)
                  "            if not all_ascii and not t.isascii() and _bad(t):",
                  f"                raise _Rejected(_n{i}, 'not UTF-8 text')"]
        if convert is None:
            lines.append("            v = t")
        elif convert is cells.guess:  # a text that cannot be a number or a boolean is itself: no call for it
            lines.append(f"            v = _c{i}(t) if t[0] in _GUESSED or t[0].isdecimal() else t")
        else:
            lines += ["            try:", f"                v = _c{i}(t)", "            except _CellError as exc:",
                      f"                raise _Rejected(_n{i}, str(exc)) from None"]
        lines += _placing(i, place, names)
    lines += ["        if type(profile_id) is not str: _check_id(profile_id)",  # a text id is one: no call
              "    except _Rejected as exc:",
              "        return _Rejection(row, line, exc.column, exc.message)",
              "    return _ProfileRow(row, line, str(profile_id) if profile_id not in (None, '') else f'profile-{row}',"
              " attributes, audiences or [], event)"]
    exec(compile("\n".join(lines) + "\n", "<csv row>", "exec"), names)
    made: RowFunction = names["row_of"]
    return made


def _placing(i: int, place: Any, names: dict[str, Any]) -> list[str]:
    """The lines putting cell i's value `v` in its place."""
    from app.journeys.profiles import _AUDIENCES, _ID

    if place is _ID:
        return ["            profile_id = v"]
    if place is _AUDIENCES:
        return ["            audiences = v"]
    in_event, parts = place[0], place[1]
    target = "event" if in_event else "attributes"
    for j, part in enumerate(parts):
        names[f"_k{i}_{j}"] = part
    out, holder = [], target
    for j in range(len(parts) - 1):  # each object on the way, made when the first cell needs it
        out += [f"            d{j} = {holder}.get(_k{i}_{j})",
                f"            if d{j} is None: d{j} = {holder}[_k{i}_{j}] = {{}}"]
        holder = f"d{j}"
    return [*out, f"            {holder}[_k{i}_{len(parts) - 1}] = v"]


def _takes(plan: list[Column]) -> bool:
    """Whether no cell of this header can be misplaced: no nested event column, no empty name, no path
    inside (or equal to) another's in the same place."""
    from app.journeys.profiles import _AUDIENCES, _ID

    paths: list[tuple[bool, tuple[str, ...]]] = []
    for _, _, place in plan:
        if place is _ID or place is _AUDIENCES:
            continue
        in_event, parts = place[0], tuple(place[1])
        if not parts or (in_event and len(parts) > 1):
            return False
        paths.append((in_event, parts))
    for i, (in_a, a) in enumerate(paths):
        for j, (in_b, b) in enumerate(paths):
            if i != j and in_a == in_b and b[:len(a)] == a:
                return False
    return True

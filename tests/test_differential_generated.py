"""Generated function calls, evaluated by h2k and by the real Heat engine: they must agree.

Hypothesis builds small compositions of Heat's functions over random strings, lists and maps
(including the awkward ones: empty values, nulls, numbers where strings are expected, keys that
overlap), in random HOT versions; each becomes a property and an output of a template, as in the
hand-written cases of test_differential_heat.py.
"""

from __future__ import annotations

import os
from typing import Any

from differential import compare
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_differential_heat import function_case

VERSIONS = st.sampled_from(["2015-04-30", "2015-10-15", "2016-10-14", "2017-09-01", "2021-04-16"])
TEXT = st.text(alphabet="ab$%,-_ x", max_size=6)
SCALAR = st.one_of(TEXT, st.integers(-3, 3), st.booleans(), st.none())
DATA = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                    st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)


@st.composite
def calls(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["str_replace", "list_join", "map_merge", "repeat", "list_concat", "contains",
                                 "filter", "str_split", "map_replace", "get_param"]))
    if kind == "str_replace":
        return {"str_replace": {"template": draw(st.one_of(TEXT, SCALAR)),
                                "params": draw(st.dictionaries(TEXT, st.one_of(SCALAR, DATA), max_size=3))}}
    if kind == "list_join":
        return {"list_join": [draw(st.one_of(TEXT, SCALAR)), *draw(st.lists(st.one_of(DATA, TEXT), min_size=1,
                                                                             max_size=3))]}
    if kind == "map_merge":
        return {"map_merge": draw(st.lists(st.one_of(st.dictionaries(TEXT, DATA, max_size=2), SCALAR), max_size=3))}
    if kind == "repeat":
        return {"repeat": {"template": draw(st.one_of(TEXT, st.dictionaries(TEXT, TEXT, max_size=2))),
                           "for_each": draw(st.dictionaries(st.sampled_from(["%a%", "%b%"]),
                                                            st.lists(TEXT, max_size=3), min_size=1, max_size=2))}}
    if kind == "list_concat":
        return {"list_concat": draw(st.lists(st.one_of(st.lists(SCALAR, max_size=2), SCALAR), max_size=3))}
    if kind == "contains":
        return {"contains": [draw(SCALAR), draw(st.one_of(st.lists(SCALAR, max_size=3), TEXT, SCALAR))]}
    if kind == "filter":
        return {"filter": [draw(st.one_of(st.lists(SCALAR, max_size=2), SCALAR)),
                           draw(st.one_of(st.lists(SCALAR, max_size=4), SCALAR))]}
    if kind == "str_split":
        return {"str_split": [draw(st.sampled_from([",", "-", "ab"])), draw(st.one_of(TEXT, SCALAR)),
                              *draw(st.lists(st.integers(-3, 3), max_size=1))]}
    if kind == "map_replace":
        return {"map_replace": [draw(st.dictionaries(TEXT, SCALAR, max_size=3)),
                                {"keys": draw(st.dictionaries(TEXT, TEXT, max_size=2)),
                                 "values": draw(st.dictionaries(TEXT, SCALAR, max_size=2))}]}
    return {"get_param": draw(st.sampled_from(["name", ["js", "a", 0], ["js", "b"], ["cdl", 1], "num", "flag"]))}


# H2K_GENERATED_EXAMPLES raises the count for a longer search than CI's.
EXAMPLES = int(os.environ.get("H2K_GENERATED_EXAMPLES", "150"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(version=VERSIONS, value=calls())
def test_generated_calls_agree_with_heat(version: str, value: Any, heat_oracle: Any) -> None:
    case = function_case({"title": "generated", "version": version, "value": value})
    assert compare(case, heat_oracle) == []

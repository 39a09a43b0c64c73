"""Heat's intrinsic functions, one table per HOT version, as Heat's template classes define them.

`table(version)` maps each function name to its implementation for that version; names a
version registers as removed are absent (the evaluator reports them). `MACROS` take their
arguments unevaluated: `if` chooses a branch before anything in it is evaluated.
"""

from __future__ import annotations

from functools import cache

from h2k.frontends.hot.functions import cfn, conditions, params, references, strings, structures
from h2k.frontends.hot.functions.base import (
    ABSENT,
    UNKNOWN,
    Absent,
    EvalLimits,
    Evaluation,
    FunctionError,
    Implementation,
    LimitError,
)
from h2k.frontends.hot.functions.yaql_expression import yaql_function
from h2k.frontends.hot.versions import HotVersion

MACROS = frozenset({"if"})

__all__ = ["ABSENT", "MACROS", "UNKNOWN", "Absent", "EvalLimits", "Evaluation", "FunctionError", "Implementation",
           "LimitError", "condition_table", "table"]


@cache
def table(version: HotVersion) -> dict[str, Implementation]:
    date = version.date
    functions: dict[str, Implementation] = {
        "get_param": params.get_param,
        "get_file": params.get_file,
        "get_resource": references.get_resource,
        "get_attr": references.get_attr(all_attributes=date >= "2015-10-15"),
        "resource_facade": references.resource_facade,
        "list_join": strings.list_join_multiple if date >= "2015-10-15" else strings.list_join_single,
        "str_replace": strings.str_replace(json_values=date >= "2015-10-15", strict=False, allow_empty=True),
        "str_replace_strict": strings.str_replace(json_values=True, strict=True, allow_empty=True),
        "str_replace_vstrict": strings.str_replace(json_values=True, strict=True, allow_empty=False),
        "repeat": structures.repeat(maps=date >= "2016-10-14", permutations=date >= "2017-09-01"),
        "digest": strings.digest,
        "str_split": strings.str_split,
        "map_merge": structures.map_merge,
        "map_replace": structures.map_replace,
        "yaql": yaql_function,
        "if": conditions.if_branch(nullable=version.nullable_if),
        "filter": structures.filter_values,
        "make_url": strings.make_url,
        "list_concat": structures.list_concat(unique=False),
        "list_concat_unique": structures.list_concat(unique=True),
        "contains": structures.contains,
        "Ref": cfn.ref,
        "Fn::Select": cfn.select,
        "Fn::Join": cfn.fn_join,
        "Fn::Split": cfn.split,
        "Fn::Replace": cfn.replace,
        "Fn::Base64": cfn.base64,
        "Fn::MemberListToMap": cfn.member_list_to_map,
        "Fn::GetAZs": cfn.deploy_time,
        "Fn::ResourceFacade": cfn.deploy_time,
    }
    return {name: f for name, f in functions.items() if name in version.functions}


@cache
def condition_table(version: HotVersion) -> dict[str, Implementation]:
    """Inside conditions: the condition functions only; any other known name is invalid there."""
    functions: dict[str, Implementation] = {
        "get_param": params.get_param,
        "equals": conditions.equals,
        "not": conditions.negation,
        "and": conditions.junction,
        "or": conditions.junction,
        "yaql": yaql_function,
        "contains": structures.contains,
    }
    return {name: f for name, f in functions.items() if name in version.condition_functions}

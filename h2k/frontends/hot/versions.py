"""HOT versions and what each one accepts: functions, top-level sections, resource and output keys.

Heat builds one template class per `heat_template_version`; a later version starts from the
previous one's tables. Functions marked removed are still recognised as calls, and rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

_CFN = frozenset({"Ref", "Fn::GetAZs", "Fn::Join", "Fn::Split", "Fn::Replace", "Fn::Base64",
                  "Fn::MemberListToMap", "Fn::ResourceFacade"})


@dataclass(frozen=True, slots=True)
class HotVersion:
    date: str
    release: str
    functions: frozenset[str]
    removed: frozenset[str]
    # Functions of `conditions`, resource and output `condition:` and the first argument of `if`.
    # There every other function is recognised but invalid (Heat's `Invalid`).
    condition_functions: frozenset[str]
    sections: frozenset[str]
    resource_keys: frozenset[str]
    output_keys: frozenset[str]
    parameter_keys: frozenset[str]

    @property
    def recognised(self) -> frozenset[str]:
        """Every one-key map key that Heat parses as a call in this version."""
        return self.functions | self.removed

    @property
    def recognised_in_conditions(self) -> frozenset[str]:
        return self.functions | self.removed | self.condition_functions

    @property
    def nullable_if(self) -> bool:
        """From 2021-04-16 `if` takes 2 or 3 arguments, and a missing false branch removes the item."""
        return self.date >= "2021-04-16"


def _build() -> dict[str, HotVersion]:
    functions = {"get_param", "get_resource", "get_attr", "get_file", "list_join", "str_replace",
                 "resource_facade", "Fn::Select"} | _CFN
    removed: set[str] = set()
    conditions: set[str] = set()
    sections = {"heat_template_version", "description", "parameter_groups", "parameters", "resources", "outputs"}
    resource_keys = {"type", "properties", "metadata", "depends_on", "deletion_policy", "update_policy",
                     "description"}
    output_keys = {"description", "value"}
    parameter_keys = {"type", "description", "default", "schema", "constraints", "hidden", "label", "immutable"}
    steps: list[tuple[str, str, set[str], set[str]]] = [
        # (date, release, functions added, functions removed)
        ("2013-05-23", "icehouse", set(), set()),
        ("2014-10-16", "juno", set(), set(_CFN)),
        ("2015-04-30", "kilo", {"repeat", "digest"}, set()),
        ("2015-10-15", "liberty", {"str_split"}, {"Fn::Select"}),
        ("2016-04-08", "mitaka", {"map_merge"}, set()),
        ("2016-10-14", "newton", {"yaql", "map_replace", "if"}, set()),
        ("2017-02-24", "ocata", {"filter", "str_replace_strict"}, set()),
        ("2017-09-01", "pike", {"make_url", "list_concat", "list_concat_unique", "str_replace_vstrict",
                                "contains"}, set()),
        ("2018-03-02", "queens", set(), set()),
        ("2018-08-31", "rocky", set(), set()),
        ("2021-04-16", "wallaby", set(), set()),
    ]
    table: dict[str, HotVersion] = {}
    for date, release, added, gone in steps:
        functions = (functions | added) - gone
        removed = removed | gone
        if date == "2016-10-14":
            conditions = {"get_param", "equals", "not", "and", "or"}
            sections = sections | {"conditions"}
            resource_keys = resource_keys | {"external_id", "condition"}
            output_keys = output_keys | {"condition"}
        if date == "2017-09-01":
            conditions = conditions | {"yaql", "contains"}
        if date == "2018-03-02":
            parameter_keys = parameter_keys | {"tags"}
        version = HotVersion(date, release, frozenset(functions), frozenset(removed), frozenset(conditions),
                             frozenset(sections),
                             frozenset(resource_keys), frozenset(output_keys), frozenset(parameter_keys))
        table[date] = version
        if date >= "2016-10-14":  # release names are accepted from Newton on
            table[release] = version
    return table


VERSIONS: dict[str, HotVersion] = _build()
LATEST = VERSIONS["2021-04-16"]
ALL_FUNCTIONS: frozenset[str] = frozenset().union(*(v.recognised_in_conditions for v in VERSIONS.values()))
PARAMETER_TYPES = frozenset({"string", "number", "json", "comma_delimited_list", "boolean"})

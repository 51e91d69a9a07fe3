"""Pydantic's validation errors as sentences a person can act on.

``manifest.json, flow 2 ("refund"), step 3 ("open"): "number" is missing.``: the
document, the item (numbered from 1, with its id), the field and what is wrong with it.
"""

from __future__ import annotations

import json
from typing import Any

_ITEMS = {
    "devices": "device", "flows": "flow", "steps": "step", "results": "result", "jobs": "job",
}
_KINDS = {
    dict: "an object",
    list: "a list",
    str: "text",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_WANTED = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def explain(error: Any, data: Any, name: str) -> str:
    """One error as ``manifest.json, flow 2 ("refund"), step 3: "number" is missing.``"""
    where, fields, node = [name], [], data
    loc = [part for part in error["loc"] if part != "[key]"]
    if len(loc) > 1 and loc[0] in ("started", "step", "job", "note", "finished", "problem"):
        loc = loc[1:]  # the union's branch: already said by the event's own "event" field
    index = 0
    while index < len(loc):
        part = loc[index]
        if not fields and part in _ITEMS and index + 1 < len(loc):
            key, node = loc[index + 1], _child(_child(node, part), loc[index + 1])
            label = (
                f"{_ITEMS[part]} {key + 1}" if isinstance(key, int) else f'{_ITEMS[part]} "{key}"'
            )
            item_id = node.get("id") if isinstance(node, dict) else None
            where.append(f'{label} ("{item_id}")' if isinstance(item_id, str) else label)
            index += 2
            continue
        fields.append(str(part))
        index += 1
    message = _phrase(error)
    subject = f'"{".".join(fields)}" ' if fields else ""
    return f"{', '.join(where)}: {subject}{message}."


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _phrase(error: Any) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not part of the contract"
    if kind == "too_short":
        return "is empty"
    if kind == "union_tag_not_found":
        return '"event" is missing'
    if kind == "union_tag_invalid":
        return (
            f'"event" must be one of {error["ctx"]["expected_tags"]}, not "{error["ctx"]["tag"]}"'
        )
    if kind.startswith("datetime"):
        example = "2026-03-02T09:00:00+00:00"
        return f'must be a date and time such as "{example}", not {json.dumps(given, default=str)}'
    if kind in _WANTED:
        return f"{_WANTED[kind]}, not {_kind(given)}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
        if kind in ("enum", "literal_error"):
            message += f", not {json.dumps(given, ensure_ascii=False)}"
    return message

"""The JSON data page: the event's data with a checksum, and how to tell a person's edit of it. Pure."""

from __future__ import annotations

import hashlib
import json
from json.encoder import (
    encode_basestring as _json_string,  # what json.dumps uses with ensure_ascii=False
)
from collections.abc import Callable
from typing import Any

from wmstrategybot.model.event import Event
from wmstrategybot.render.base import GENERATOR, as_stored


def data_page_dict(event: Event) -> dict[str, Any]:
    """The event as the data page holds it: everything but the long texts (session and part
    texts, session and day intros, tables), which stay on the Day pages, where each item's source points.
    That keeps the page far below MediaWiki's size limit (2 MiB on Meta-Wiki) for any event."""
    data = event.to_dict()
    for session in data["sessions"]:
        for key in ("intro", "text", "tables"):
            session.pop(key, None)
        for part in session["parts"]:
            part.pop("text", None)
    for day in data["days"]:
        day.pop("intro", None)
        for appendix in day.get("appendices", []):
            appendix.pop("text", None)
    return data


#: The keys of a data page: anything else on it is a person's
DATA_PAGE_KEYS = ("generator", "sha1", "data")


def _page_digest(page_text: str) -> str:
    return hashlib.sha1(page_text.encode("utf-8")).hexdigest()


class _NotPlainJSON(Exception):
    """A value json_text leaves to json.dumps (a float, a key that is not a string...)."""


def json_text(value: object) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text in a fraction of the CPU:
    json.dumps indents through its pure-Python encoder, the data page's largest cost to render.
    Strings, ints, booleans, None, lists and dicts of string keys are written here; for
    anything else the whole value goes to json.dumps."""
    out: list[str] = []
    try:
        _json_into(value, out, "\n")
    except _NotPlainJSON:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(out)


def _scalar_str(value: object) -> str:
    return _json_string(value)  # type: ignore[arg-type]


#: how json_text writes each type of value that holds no other (bool before int: True is an int)
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: _scalar_str, int: int.__repr__, bool: lambda v: "true" if v else "false", type(None): lambda v: "null",
}


def _json_into(value: object, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))  # type: ignore[arg-type]
    elif kind is dict and value and all(type(v) in _SCALARS for v in value.values()):  # type: ignore[attr-defined]
        # (a dict of strings and numbers, most of the data page's: written in one go)
        inner = newline + "  "
        try:
            out.append("{" + inner + ("," + inner).join(
                _json_string(k) + ": " + _SCALARS[type(v)](v) for k, v in value.items()) + newline + "}")  # type: ignore[attr-defined]
        except TypeError:
            raise _NotPlainJSON from None
    elif isinstance(value, str):
        out.append(_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[" + inner)
        for k, item in enumerate(value):
            if k:
                out.append("," + inner)
            _json_into(item, out, inner)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{" + inner)
        for k, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise _NotPlainJSON
            out.append(("," + inner if k else "") + _json_string(key) + ": ")
            _json_into(item, out, inner)
        out.append(newline + "}")
    else:
        raise _NotPlainJSON


def data_json(event: Event) -> str:
    """The data page: the event's data (see data_page_dict) with a checksum over everything
    else on the page (``generator`` and ``data``), so that any hand edit is noticed."""
    data = data_page_dict(event)
    # as the wiki will store it (NFC), or the checksum would not match what is read back
    body = as_stored(json_text(data))
    # json.dumps({"generator": ..., "data": data}, indent=2) and the same with "sha1" between
    # them, without encoding the data twice: JSON strings hold no raw newline, so indenting
    # the body's lines is exact.
    indented = body.replace("\n", "\n  ")
    generator = json.dumps(GENERATOR, ensure_ascii=False)
    digest = _page_digest(f'{{\n  "generator": {generator},\n  "data": {indented}\n}}')
    return f'{{\n  "generator": {generator},\n  "sha1": "{digest}",\n  "data": {indented}\n}}\n'


def data_page_edit(text: str) -> str | None:
    """Why a data page is not wholly as the bot wrote it (a person's edit), or None.

    The checksum covers every key but itself, compared by value: MediaWiki stores a JSON page
    re-formatted (tabs, escapes), which changes no value. A page of the former format, whose
    checksum covered only ``data``, still passes if it holds nothing else.
    """
    try:
        page = json.loads(text)
    except ValueError:
        return "the data page is not valid JSON"
    if not isinstance(page, dict) or page.get("generator") != GENERATOR or not isinstance(page.get("sha1"), str):
        return "the data page was not written by the bot (no generator or checksum)"
    rest = {k: v for k, v in page.items() if k != "sha1"}
    if _page_digest(json.dumps(rest, indent=2, ensure_ascii=False)) == page["sha1"]:
        return None
    extra = [k for k in page if k not in DATA_PAGE_KEYS]
    if extra:
        return f"keys the bot did not write were added to the data page ({', '.join(map(repr, extra[:5]))})"
    if "data" in page and _page_digest(json.dumps(page["data"], indent=2, ensure_ascii=False)) == page["sha1"]:
        return None  # the former format: the checksum covers "data", and nothing else is there
    return "the data page's content no longer matches its checksum"


def data_items(text: str) -> int | None:
    """The sessions a data page holds."""
    try:
        return len(json.loads(text)["data"]["sessions"])
    except (ValueError, KeyError, TypeError):
        return None

"""The one reader of JSON that comes from outside (packages, manifests, receipts, key files,
settings, mappings): bounded in size, nesting, items, string length and characters, before and
while it allocates.

`loads(data, limits)` returns the decoded value or raises `JsonRejected` (a ValueError, so the
callers' existing `except ValueError` turns it into their own documented rejection) whose
`reason` is one line a person can act on. What is checked, in order:

1. size: `len(data) <= limits.max_bytes`, before anything is decoded;
2. characters: strict UTF-8 (no encoded surrogates), no NUL (`\\u0000`), no lone surrogate
   escape (`\\ud800` without its pair): text that a database, a receipt or a terminal cannot
   carry never enters the program;
3. memory: an upper bound of what the parsed value will take, from the counts of brackets,
   quotes and commas (C-speed passes over the text), must stay within MEMORY_FACTOR times the
   input (+ 4 KiB); the same counts bound the number of items (`limits.max_items`);
4. nesting: the parser's own recursion guard catches pathological depth; then, for documents
   that are walked (`limits.walk`, every small document), depth, string length and the items
   of each container are checked exactly. Large record parts are not walked: their shape
   (a list of flat rows of scalars) is checked by their own parser (app.sync.rows).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

#: The parsed value never takes more than this many times the bytes it came from (plus a small
#: fixed allowance, so that tiny documents with a few objects pass).
MEMORY_FACTOR = 10
MEMORY_ALLOWANCE = 4096
#: Conservative CPython sizes (64-bit): a container with its slot, a str object, a list slot.
_CONTAINER, _STRING, _SLOT = 72, 56, 8

#: Cheap hints, then an exact pass over the escapes (an escaped backslash is not an escape).
_HINT = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)


class JsonRejected(ValueError):
    """Outside JSON broke one of the limits; `reason` says which, in one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_depth: int = 16
    max_items: int = 100_000
    max_string: int = 64 * 1024
    #: walk the value to check depth, strings and items exactly (small documents)
    walk: bool = True


#: Small documents people or programs exchange: key files, identity files, receipts, settings.
SMALL = Limits(max_bytes=1024 * 1024)


def loads(data: bytes | str, limits: Limits = SMALL):
    """The decoded value of outside JSON, or JsonRejected (see the module docstring)."""
    size = len(data)
    if size > limits.max_bytes:
        raise JsonRejected(f"larger than the limit ({size} > {limits.max_bytes} bytes)")
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonRejected(f"not valid UTF-8 at byte {exc.start}") from None
    else:
        text = data
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            raise JsonRejected("contains a lone surrogate character") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise JsonRejected("contains a NUL character")
    if _HINT.search(text):
        _check_escapes(text)
    containers = text.count("[") + text.count("{")
    strings = text.count('"') // 2
    items = containers + text.count(",") + text.count(":")
    if items > limits.max_items:
        raise JsonRejected(f"too many items ({items} > {limits.max_items})")
    estimate = _CONTAINER * containers + _STRING * strings + _SLOT * items + 2 * len(text)
    if estimate > MEMORY_FACTOR * size + MEMORY_ALLOWANCE:
        raise JsonRejected(f"too many small items for its size (would take ~{estimate // 1024} KiB "
                           f"for {size} bytes)")
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonRejected("nested too deeply") from None
    except ValueError as exc:
        raise JsonRejected(f"not valid JSON ({exc})") from None
    if limits.walk:
        _walk(value, limits)
    return value


def _check_escapes(text: str) -> None:
    """No \\u0000 and no surrogate escape without its partner, reading the escapes in order."""
    high_at = high_end = None
    for m in _ESCAPE.finditer(text):
        g = m.group(1)
        cp = int(g[1:], 16) if len(g) == 5 else None
        if high_at is not None:
            if cp is not None and 0xDC00 <= cp <= 0xDFFF and m.start() == high_end:
                high_at = None
                continue
            break
        if cp == 0:
            raise JsonRejected(f"contains a NUL character (at character {m.start()})")
        if cp is not None and 0xD800 <= cp <= 0xDBFF:
            high_at, high_end = m.start(), m.end()
        elif cp is not None and 0xDC00 <= cp <= 0xDFFF:
            raise JsonRejected(f"contains a lone surrogate escape at character {m.start()}")
    if high_at is not None:
        raise JsonRejected(f"contains a lone surrogate escape at character {high_at}")


def _walk(value, limits: Limits) -> None:
    """Depth, string lengths and items, without recursion."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str):
            if len(v) > limits.max_string:
                raise JsonRejected(f"a string is longer than {limits.max_string} characters")
            continue
        if isinstance(v, dict):
            children = [*v.keys(), *v.values()]
        elif isinstance(v, list):
            children = v
        else:
            continue
        if depth > limits.max_depth:
            raise JsonRejected(f"nested deeper than {limits.max_depth} levels")
        stack.extend((c, depth + 1) for c in children)

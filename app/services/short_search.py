"""A short search's whole list and level cards on SQLite, read from the character index and the narrow state indexes.

The search box alone with terms of one or two characters (app.services.tables decides when): the
character index (migration 0016) gives the matching ids, and each one's level and overdue flag come
from an index, never from the wide table row. Each match becomes one 64-bit key (rank, id, overdue:
KEY_*), numpy sorts the keys into display order and counts them per level.
"""
from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.store.bulk import CHARS_SUFFIX

if TYPE_CHECKING:  # numpy is imported on this path only (it is not needed before a window paints)
    import numpy as np
    import numpy.typing as npt

    Keys = npt.NDArray[np.int64]

#: A key packs (level rank, id, overdue) in one 64-bit integer: the rank above bit 41, the id in
#: bits 1-40, the overdue flag in bit 0. Their order is the display order (ties by id).
KEY_RANK_SHIFT = 41
KEY_ID_MASK = (1 << 40) - 1

#: A term held by at least 1/SETS_SHARE of a table's records reads its matches' states as sets of
#: ids from the (status, level) and (status, next_due) indexes; a rarer one by a seek per match in
#: the state index (ix_<table>_search_state). The sets cost about the same whatever the term; the
#: seeks grow with the matches (at 1M, load 3.9: '路', 252,743 of 631,705 cases, 126-146 ms by seeks
#: against 57-87 ms by sets; '宋', 6,434, 5-10 ms by seeks against 63 ms by sets).
SETS_SHARE = 8


def _ints(packed: str | None) -> Keys:
    """A text of integers separated by spaces (one group_concat) as a numpy array: returning each
    row as a Python tuple cost more than the statement itself (252,743 rows: 2.1 s against 0.8 s
    at load 9)."""
    import numpy as np

    return np.fromstring(packed or "", dtype=np.int64, sep=" ")


def _rank_sql(ranks: Sequence[str], col: str) -> str:
    return f"CASE {col} " + " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(ranks)) + \
        f" ELSE {len(ranks)} END"


def _marks(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, Any]]:
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values))


def keys_by_seeks(conn: Connection, table: str, tokens: str, ranks: Sequence[str], statuses: Sequence[str],
                  today: date) -> Keys:
    """The keys of the matches whose status is one of `statuses`: one statement, a seek in the
    narrow state index per match (the character index gives them in id order; SQLite sorts nothing)."""
    idx = f"{table}{CHARS_SUFFIX}"
    marks, params = _marks("s", statuses)
    stmt = text(f"SELECT group_concat(({_rank_sql(ranks, 'c.level')} << {KEY_RANK_SHIFT}) | (c.id << 1) | "
                "CASE WHEN c.status = 'active' AND c.next_due < :today THEN 1 ELSE 0 END, ' ') "
                f"FROM {idx} f JOIN {table} c INDEXED BY ix_{table}_search_state ON c.id = f.rowid "
                f"WHERE f.{idx} MATCH :q AND +c.status IN ({marks})")
    return _ints(conn.execute(stmt, {"q": tokens, "today": today.isoformat(), **params}).scalar())


def keys_by_sets(conn: Connection, table: str, found: Keys, size: int, ranks: Sequence[str],
                 statuses: Sequence[str], every_status: Sequence[str], today: date) -> Keys:
    """The keys of `found` (the matching ids, none above `size`) whose status is one of `statuses`,
    from sets of ids read whole from two narrow indexes, with no lookup per match:
    - each level but the last (green: where records end, the bulk of a station's history) from the
      (status, level) index: the ids with that level and one of `statuses`;
    - the records whose status is not one of `statuses` from the same index (dropped);
    - every other match has the last level: the table's check constraints allow no other level or
      status (models.base.LEVEL_CODES, STATUS_CODES), so the complement is exact;
    - the overdue ones (active, due before `today`: app.domain.rules.is_overdue) from the
      (status, next_due) index.
    Each set marks a table of one byte per id (`size` + 1 bytes), read once at the matches: the
    cost is reading the sets (at most every id of the table once), whatever the term. An index
    entry above the largest id (a damaged index: `check` names it) is dropped, as the seeks' join
    drops it; one for a missing id below it would count as green (records are voided, not deleted)."""
    import numpy as np

    found = found[found <= size]
    dropped, late = 1 << 6, 1 << 7
    state = np.full(size + 1, len(ranks) - 1, dtype=np.uint8)
    marks, params = _marks("s", statuses)
    by_level = text(f"SELECT group_concat(id, ' ') FROM {table} INDEXED BY ix_{table}_status_level "
                    f"WHERE status IN ({marks}) AND level = :level")
    for i, code in enumerate(ranks[:-1]):
        state[_ints(conn.execute(by_level, {"level": code, **params}).scalar())] = i
    others = [s for s in every_status if s not in statuses]
    if others:
        out_marks, out_params = _marks("o", others)
        state[_ints(conn.execute(text(f"SELECT group_concat(id, ' ') FROM {table} INDEXED BY "
                                      f"ix_{table}_status_level WHERE status IN ({out_marks})"),
                                 out_params).scalar())] = dropped
    if "active" in statuses:
        overdue = _ints(conn.execute(text(f"SELECT group_concat(id, ' ') FROM {table} INDEXED BY "
                                          f"ix_{table}_status_next_due WHERE status = 'active' AND next_due < :today"),
                                     {"today": today.isoformat()}).scalar())
        state[overdue] |= late
    held = state[found]
    keep = (held & dropped) == 0
    keys: Keys = (((held[keep] & (dropped - 1)).astype(np.int64) << KEY_RANK_SHIFT) | (found[keep] << 1)
                  | (held[keep] >> 7).astype(np.int64))
    return keys


def whole_list(conn: Connection, table: str, tokens: str, *, ranks: Sequence[str], statuses: Sequence[str],
               every_status: Sequence[str], today: date, shown: Collection[str] | None, descending: bool,
               by_sets: bool | None = None) -> tuple[array[int], dict[str, tuple[int, int]]]:
    """The ids of `table`'s records matching `tokens` (one MATCH of the character index) with one
    of `statuses`, in display order (level rank as `ranks` orders the codes, then id; reversed when
    `descending`), keeping the levels `shown` (None: all); and per level code, (records, overdue
    records) under every filter but the level one. `by_sets` None chooses by the term's share of
    the table (SETS_SHARE); True or False forces a way (the tests hold both to a LIKE scan)."""
    import numpy as np

    idx = f"{table}{CHARS_SUFFIX}"
    keys = None
    if by_sets is not False:
        # The matches' ids alone, from the index's doclist (15 ms for '路' at 1M, quiet).
        found = _ints(conn.execute(text(f"SELECT group_concat(rowid, ' ') FROM {idx} WHERE {idx} MATCH :q"),
                                   {"q": tokens}).scalar())
        size = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0
        if by_sets or len(found) * SETS_SHARE >= size:
            keys = keys_by_sets(conn, table, found, size, ranks, statuses, every_status, today)
    if keys is None:
        keys = keys_by_seeks(conn, table, tokens, ranks, statuses, today)
    keys.sort()
    level_of = keys >> KEY_RANK_SHIFT
    n = len(ranks) + 1
    totals = np.bincount(level_of, minlength=n)
    lates = np.bincount(level_of[(keys & 1) == 1], minlength=n)
    counts = {code: (int(totals[i]), int(lates[i])) for i, code in enumerate(ranks)}
    if shown is not None:
        keys = keys[np.isin(level_of, [ranks.index(code) for code in shown])]
    ids_np = (keys >> 1) & KEY_ID_MASK
    if descending:
        ids_np = ids_np[::-1]
    ids = array("q")
    ids.frombytes(np.ascontiguousarray(ids_np, dtype=np.int64).tobytes())
    return ids, counts

"""The search indexes' upkeep seen from outside: `problems` compares the character index of
one- and two-character terms (migration 0016) with a recount of the records' search text."""
from __future__ import annotations

from collections import Counter

from app.store import Store
from app.store.bulk import CHARS_SUFFIX, TABLES, chars_token

_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def chars_tokens(search_text: str) -> set[str]:
    """The character index's tokens of one search text, as app.store.bulk.chars_expr makes them
    in SQL: every character and every pair of neighbours, ASCII lower-cased (SQLite's lower())."""
    low = (search_text or "").translate(_ASCII_LOWER)
    return {chars_token(low[i:i + n]) for n in (1, 2) for i in range(len(low) - n + 1)}


def problems(db: Store, limit: int = 20) -> list[str]:
    """Where the character index differs from a recount (records missing or extra, a character or
    pair found in another number of records than hold it), each as one bilingual line (at most
    `limit`, then a count of the rest); empty when it is exact or the database has none (PostgreSQL)."""
    if db.engine.dialect.name != "sqlite":
        return []
    out: list[str] = []
    with db.read() as session:
        conn = session.connection().connection.dbapi_connection
        if conn is None:  # a session's open connection always has its DBAPI connection
            raise RuntimeError("the session's connection is closed")
        for table in TABLES:
            idx = f"{table}{CHARS_SUFFIX}"
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (idx,)).fetchone() is None:
                continue
            want: Counter[str] = Counter()
            ids = set()
            for rid, search_text in conn.execute(f"SELECT id, search_text FROM {table}"):
                ids.add(rid)
                want.update(chars_tokens(search_text))
            have_ids = {r for (r,) in conn.execute(f"SELECT rowid FROM {idx}")}
            vocab = f"temp.{idx}_vocab"
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {idx}, 'row')")
            try:
                have = Counter({term: n for term, n in conn.execute(f"SELECT term, doc FROM {vocab}") if n})
            finally:
                conn.execute(f"DROP TABLE IF EXISTS {vocab}")
            missing, extra = sorted(ids - have_ids), sorted(have_ids - ids)
            if missing:
                out.append(f"字符索引 {table}：{len(missing)} 条记录未编入（如 id {missing[0]}） "
                           f"(character index {table}: {len(missing)} records not indexed, e.g. id {missing[0]})")
            if extra:
                out.append(f"字符索引 {table}：{len(extra)} 条已不存在的记录（如 id {extra[0]}） "
                           f"(character index {table}: {len(extra)} records that no longer exist, e.g. id {extra[0]})")
            for term in sorted(set(want) | set(have), key=lambda t: (len(t), t)):
                if want[term] != have[term]:
                    shown = bytes.fromhex(term).decode("utf-8", "replace")
                    out.append(f"字符索引 {table}“{shown}”：索引中 {have[term]} 条，重新统计 {want[term]} 条 "
                               f"(character index {table} '{shown}': {have[term]} records indexed, "
                               f"recount {want[term]})")
    if len(out) > limit:
        rest = len(out) - limit
        out = out[:limit] + [f"字符索引另有 {rest} 处不一致 ({rest} more character index differences)"]
    return out

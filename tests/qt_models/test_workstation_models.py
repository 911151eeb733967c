"""Model tests of the workstation: the record tables under every new filter, and my work's model."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

import pytest

from app.domain.levels import Module
from app.services import org, tables, workstation
from app.services.tables import TableQuery
from ui.common.table_model import RecordTableModel
from ui.records.columns import model_columns
from ui.records.my_work import MyWorkModel


@pytest.mark.parametrize("module", list(Module))
def test_filtered_models_pass_the_model_tester(qtmodeltester, station_db, module):
    officers = org.list_officers(station_db)
    queries = [TableQuery(text="zh"), TableQuery(text="社区 路"), TableQuery(category={
        Module.CASE: "criminal", Module.DISPUTE: "police_primary", Module.PERSON: "ordinary"}[module]),
        TableQuery(person_id=officers[-1].id, statuses=frozenset(tables.STATUS_ORDER)),
        TableQuery(date_from=date(2025, 1, 1), overdue_only=True)]
    for q in queries:
        model = RecordTableModel(model_columns(module), partial(tables.list_ids, station_db, module),
                                 partial(tables.fetch_rows, station_db, module), q)
        qtmodeltester.check(model, force_py=True)


def test_my_work_model_passes_the_model_tester(qtmodeltester, station_db):
    leader = next(o for o in org.list_officers(station_db) if o.role == "leader")
    work = workstation.my_work(station_db, org.actor_for(station_db, leader.id))
    assert work.items
    model = MyWorkModel(work.items, today=work.as_of)
    qtmodeltester.check(model, force_py=True)
    model.set_items(work.items[:3], work.as_of)
    qtmodeltester.check(model, force_py=True)


def test_fts_and_like_paths_agree_with_a_plain_scan(station_db):
    """Terms of 3+ characters go to the trigram index, shorter ones to LIKE: both must give exactly
    the rows a scan of search_text gives (PERFORMANCE.md: never trust FTS with short terms)."""
    from sqlalchemy import text

    for module, table in ((Module.CASE, "case_record"), (Module.DISPUTE, "dispute"), (Module.PERSON, "person")):
        with station_db.read() as s:
            sample = s.execute(text(f"SELECT search_text FROM {table} LIMIT 1 OFFSET 7")).scalar_one()
        words = [w for w in sample.split() if len(w) >= 3][:2] + [sample.split()[0][:2]]
        for term in words + [" ".join(words[:2])]:
            q = TableQuery(text=term, statuses=frozenset(tables.STATUS_ORDER))
            got = sorted(tables.list_ids(station_db, module, q))
            conds = " AND ".join(f"search_text LIKE :p{i}" for i, _ in enumerate(term.lower().split()))
            params = {f"p{i}": f"%{w}%" for i, w in enumerate(term.lower().split())}
            with station_db.read() as s:
                want = sorted(r[0] for r in s.execute(text(f"SELECT id FROM {table} WHERE {conds}"), params))
            assert got == want and want, (module, term)
            counts = tables.level_counts(station_db, module, replace(q))
            assert sum(counts.values()) == len(want)

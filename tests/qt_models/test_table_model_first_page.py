"""A large table opens on its first page and reads the whole id list after its first paint
(issue 21: at 1M records the id list alone took 0.5 s before anything was shown)."""
from __future__ import annotations

from collections import Counter
from functools import partial

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.domain.levels import Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.table_model import VIEW_PAGE_SIZE, RecordTableModel
from ui.records.columns import model_columns

DISPLAY = Qt.ItemDataRole.DisplayRole


def make(db, module=Module.CASE, query=None):
    return RecordTableModel(model_columns(module), partial(tables.list_ids, db, module),
                            partial(tables.fetch_rows, db, module), query or TableQuery(),
                            page_size=VIEW_PAGE_SIZE, first_ids=partial(tables.first_ids, db, module))


def test_a_large_table_shows_its_first_page_then_appends_the_rest(station_db, monkeypatch, qtbot):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)  # the station counts as large
    full = tables.list_ids(station_db, Module.CASE, TableQuery())
    assert len(full) > VIEW_PAGE_SIZE
    model = make(station_db)
    assert not model.ids_complete() and model.rowCount() == VIEW_PAGE_SIZE
    no_col = model.column_of("case_no")
    first = model.index(0, no_col).data(DISPLAY)
    assert first == tables.fetch_rows(station_db, Module.CASE, [full[0]])[0].values[no_col]
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.complete_ids()
    assert inserted.args[1:] == [VIEW_PAGE_SIZE, len(full) - 1]
    assert model.ids_complete() and model.rowCount() == len(full) and model.ids == full
    assert model.index(0, no_col).data(DISPLAY) == first  # the first page stayed where it was


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("module", list(Module))
def test_a_large_tables_opening_page_is_the_head_of_its_list(station_db, monkeypatch, module, descending):
    """A table as it opens (default statuses, level order, either direction): the page walked on
    the level-rank index is the head of the whole list, and the walk is what SQLite runs."""
    from sqlalchemy import event

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    q = TableQuery(descending=descending)
    full = tables.list_ids(station_db, module, q)
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(station_db.engine, "before_cursor_execute", on_execute)
    try:
        for limit in (1, VIEW_PAGE_SIZE, len(full), len(full) + 5):
            ids, whole = tables.first_ids(station_db, module, q, limit)
            assert list(ids) == list(full[:limit]) and whole == (limit > len(full))
    finally:
        event.remove(station_db.engine, "before_cursor_execute", on_execute)
    table = tables._TABLES[module].name
    assert sum(f"INDEXED BY ix_{table}_level_rank" in s for s in seen) == 4
    # A filter is not the walk's: the statement of the whole list, with LIMIT.
    for other in (TableQuery(levels=frozenset({"red"})), TableQuery(overdue_only=True),
                  TableQuery(statuses=frozenset({"active"}))):
        ids, _whole = tables.first_ids(station_db, module, other, VIEW_PAGE_SIZE)
        assert list(ids) == list(tables.list_ids(station_db, module, other)[:VIEW_PAGE_SIZE])


def test_asking_for_the_ids_or_a_row_completes_the_list(station_db, monkeypatch):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    full = tables.list_ids(station_db, Module.CASE, TableQuery())
    model = make(station_db)
    assert model.row_of(full[-1]) == len(full) - 1 and model.ids_complete()
    model = make(station_db)
    assert list(model.ids) == list(full)


def test_a_small_table_or_a_long_term_search_reads_the_whole_list_at_once(station_db, monkeypatch):
    model = make(station_db)  # the demo station is far below FIRST_PAGE_FROM
    assert model.ids_complete() and model.rowCount() == len(tables.list_ids(station_db, Module.CASE, TableQuery()))
    model.set_query(TableQuery(text="路"))
    assert model.ids_complete()
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    for q in (TableQuery(text="小区内"), TableQuery(text="路", levels=frozenset({"red", "green"})),
              TableQuery(text="路", sort_key="accepted_on")):
        model = make(station_db, query=q)  # three characters, another filter, another order
        assert model.ids_complete() and list(model.ids) == list(tables.list_ids(station_db, Module.CASE, q))


@pytest.mark.parametrize("share", [tables.FREQUENT_SHARE, 1])  # a seek per record; the list of matches
@pytest.mark.parametrize("descending", [False, True])
def test_a_short_term_search_shows_the_head_of_its_list_first(station_db, monkeypatch, share, descending):
    """One- and two-character searches of a large table: the first page walked on the level-rank
    index is the head of the whole list, in the same order (red first, ties by id)."""
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    monkeypatch.setattr(tables, "FREQUENT_SHARE", share)
    for module, term in ((Module.CASE, "路"), (Module.CASE, "区 a"), (Module.DISPUTE, "纠纷"), (Module.CASE, "1")):
        q = TableQuery(text=term, descending=descending)
        full = tables.list_ids(station_db, module, q)
        assert len(full) > VIEW_PAGE_SIZE, (module, term)
        model = make(station_db, module, TableQuery())
        model.set_query(q)
        assert not model.ids_complete() and model.rowCount() == VIEW_PAGE_SIZE
        assert list(model._ids) == list(full[:VIEW_PAGE_SIZE])
        assert list(model.ids) == list(full) and model.ids_complete()


def test_a_short_term_search_matching_less_than_a_page_is_whole_at_once(station_db, monkeypatch):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    with station_db.read() as s:
        texts = s.execute(text("SELECT search_text FROM case_record WHERE status IN ('active', 'closed')")).scalars().all()
    held = Counter(c for t in texts for c in set(t) if not c.isspace() and not c.isascii())
    rare = next(c for c, n in sorted(held.items(), key=lambda kv: -kv[1]) if 1 < n < VIEW_PAGE_SIZE // 2)
    q = TableQuery(text=rare)
    want = tables.list_ids(station_db, Module.CASE, q)
    assert 0 < len(want) < VIEW_PAGE_SIZE
    ids, complete = tables.first_ids(station_db, Module.CASE, q, VIEW_PAGE_SIZE)
    assert complete and list(ids) == list(want)


def test_the_view_counts_after_its_first_paint_with_the_whole_list(station_db, monkeypatch, qtbot):
    from ui.records.table_view import RecordTableView

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    view = RecordTableView(station_db, Module.CASE)
    qtbot.addWidget(view)
    assert view.model.rowCount() == VIEW_PAGE_SIZE and view.total_label.text() == ""
    view.show()
    qtbot.waitUntil(lambda: not view.counts_pending())
    total = len(tables.list_ids(station_db, Module.CASE, TableQuery()))
    assert view.model.rowCount() == total == view.total()
    assert f"{total}" in view.total_label.text()


def test_a_search_in_the_view_paints_its_first_page_then_counts(station_db, monkeypatch, qtbot):
    from ui.records.table_view import RecordTableView

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    view = RecordTableView(station_db, Module.CASE)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: not view.counts_pending())
    view.search.setText("路")
    view.apply_filters()
    assert view.counts_pending() and view.model.rowCount() == VIEW_PAGE_SIZE and view.total_label.text() == ""
    assert all(card._count_label.text() == "…" for card in view.cards.values())  # not the former counts
    qtbot.waitUntil(lambda: not view.counts_pending())
    q = view.model.query
    ids, counts = tables.list_ids_with_counts(station_db, Module.CASE, q)
    assert list(view.model.ids) == list(ids) and view.total() == len(ids)
    assert {lv: card.count() for lv, card in view.cards.items()} == {lv: n for lv, (n, _late) in counts.items()}
    assert f"{len(ids)}" in view.total_label.text()

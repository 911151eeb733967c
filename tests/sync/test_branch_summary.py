"""The daily summary of a branch database (SQLite and PostgreSQL): each merged package recounts
its station's cells in the import's transaction, so the branch's summary stays exact and its
figures equal the recount, whichever stations arrive and in whatever order."""
from __future__ import annotations

from app.domain.levels import Module
from app.services import daily_counts as dc
from app.services.headline import headline_stats
from tests.sync.helpers import AS_OF, Net, demo_station


def test_merges_keep_the_branch_summary_exact(branch, tmp_path, monkeypatch):
    net = Net(branch, tmp_path / "carry")
    net.join("s1", demo_station(tmp_path / "s1.db", seed=4))
    net.join("s2", demo_station(tmp_path / "s2.db", seed=6))
    net.deliver(net.export("s2"))
    net.deliver(net.export("s1"))
    assert dc.problems(branch) == []
    with branch.read() as s:
        stations = {st for (kind, _m, *rest) in dc.table_cells(s.connection()) if kind == "s"
                    for st in [rest[1]]}
        one = dc.state_on(s, Module.CASE, AS_OF, station_id=min(stations))
    assert len(stations) == 2 and sum(one.by_level.values()) > 0
    with monkeypatch.context() as m:
        m.setattr(dc, "available", lambda session: False)
        recount = headline_stats(branch, AS_OF)
    got = headline_stats(branch, AS_OF)
    for key in ("cases", "disputes", "persons"):
        assert got[key] == recount[key]
    # A second package of s1 (a delta) replaces that station's cells, the other station's stay.
    net.deliver(net.export("s1"))
    assert dc.problems(branch) == []

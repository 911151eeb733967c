"""B14: the same packages give identical branch snapshots on SQLite and on PostgreSQL."""
from __future__ import annotations

import os

from app.store import SqliteStore
from app.store.postgres import PgStore
from app.sync import keys as K
from app.sync.errors import ImportRejected
from tests.sync.conftest import PG_ENV, drop_pg_database, new_pg_database, pg_url_or_skip
from tests.sync.helpers import ADMIN, Net, demo_station, same_branch_office, station_snapshot
from tests.sync.test_roundtrip import churn


def test_sqlite_and_postgresql_branches_are_identical(tmp_path):
    pg_url_or_skip()
    lite = SqliteStore(tmp_path / "branch.db", create=True)
    url = new_pg_database(os.environ[PG_ENV])
    pg = PgStore(url)
    try:
        net = Net(lite, tmp_path / "carry")
        # The PostgreSQL branch is the same office: same identity keys, same trusted stations.
        same_branch_office(lite, pg)
        paths = []
        for seed in (1, 2):
            st = net.join(f"s{seed}", demo_station(tmp_path / f"s{seed}.db", seed))
            K.trust_station(pg, ADMIN, K.station_identity(st))
            paths.append(net.export(f"s{seed}"))
        churn(net.stations["s1"], "x")
        net.ack("s1", net.deliver(paths[0]))
        paths.append(net.export("s1"))
        for p in paths[1:]:
            net.deliver(p)
        pg_net = Net(pg, tmp_path / "carry-pg")
        for p in reversed(paths):  # another order on PostgreSQL: the result must still be the same
            try:
                pg_net.deliver(p)
            except ImportRejected as exc:  # a delta before its base: deliver the base, then again
                assert exc.code == "missing_base"
                pg_net.deliver(paths[0])
                pg_net.deliver(p)
        for st in net.stations.values():
            from app.services.org import station_info

            u = station_info(st).uuid
            assert station_snapshot(lite, u) == station_snapshot(pg, u) == station_snapshot(st)
    finally:
        lite.close()
        pg.close()
        drop_pg_database(os.environ[PG_ENV], url)

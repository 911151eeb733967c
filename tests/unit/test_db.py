"""Opening databases: ours, not ours, too new, older (upgraded in place, safely)."""
import hashlib
import sqlite3
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import models
from app.errors import DatabaseError
from app.services import org
from app.store import SqliteStore
from app.store.base import head_revision, schema_object_filter


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_at_head_and_matches_the_models(tmp_path):
    db = SqliteStore(tmp_path / "s.db", create=True)
    assert db.schema_state().up_to_date and db.schema_state().current == head_revision()
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": schema_object_filter})
        with warnings.catch_warnings():
            # Neither side compares an expression index: the level-rank ones are checked below.
            warnings.filterwarnings("ignore", r".*expression-based index '?ix_\w+_level_rank")
            assert compare_metadata(ctx, models.Base.metadata) == []
        from models.records import LEVEL_RANK_SQL

        ranks = conn.exec_driver_sql("SELECT tbl_name, sql FROM sqlite_master WHERE name LIKE 'ix_%_level_rank' "
                                     "ORDER BY tbl_name").all()
        assert ranks == [(t, f"CREATE INDEX ix_{t}_level_rank ON {t} ({LEVEL_RANK_SQL})")
                         for t in ("case_record", "dispute", "person")]
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("SELECT sqlite_version()").scalar() >= "3.51.3"
    assert db.integrity_problems() == []
    db.close()


def test_every_constraint_is_named(tmp_path):
    for table in models.Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}: {constraint}"


def test_missing_file_is_not_created_unless_asked(tmp_path):
    with pytest.raises(DatabaseError) as err:
        SqliteStore(tmp_path / "nope.db")
    assert "不存在" in err.value.zh
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("content", [b"hello, this is a text file\n" * 50, bytes(range(256)) * 64])
def test_a_file_that_is_not_ours_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "other.db"
    path.write_bytes(content)
    before = sha(path)
    with pytest.raises(DatabaseError) as err:
        SqliteStore(path)
    assert "不是本系统" in err.value.zh
    assert sha(path) == before


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts(name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(DatabaseError) as err:
        SqliteStore(path)
    assert "不是本系统" in err.value.zh
    assert sha(path) == before


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    path = tmp_path / "s.db"
    SqliteStore(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as err:
        SqliteStore(path)
    assert "更新版本" in err.value.zh


def test_an_older_database_is_upgraded_in_place_with_a_copy_kept(tmp_path):
    """A database at schema 0001 (before the search index) with data opens at head, its rows
    intact, the search index built, and a consistent copy of the old file kept beside it."""
    path = tmp_path / "s.db"
    SqliteStore(path, create=True, revision="0001").close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.execute("INSERT INTO station(id,uuid,code,name,branch_name,is_demo,created_at) "
                 "VALUES (1,'s1','c','城关派出所','',0,'2025-01-01 00:00:00')")
    conn.execute("INSERT INTO officer(id,uuid,station_id,name,badge_no,role,phone,active) "
                 "VALUES (1,'o1',1,'王建国','','leader','',1)")
    conn.execute("INSERT INTO case_record(id,uuid,level,status,summary,search_text,created_at,updated_at,"
                 "level_changed_at,last_activity_on,version,station_id,officer_id,case_no,kind,category,cause,"
                 "place,accepted_on) VALUES (1,'c1','red','active','', 'a001 宅基地纠纷 zhangsan',"
                 "'2025-01-01 00:00:00','2025-01-01 00:00:00','2025-01-01 00:00:00','2025-01-01',1,1,1,'A001',"
                 "'criminal','','','','2025-01-01')")
    conn.commit()
    conn.close()

    db = SqliteStore(path)
    assert db.schema_state().current == head_revision()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT case_no FROM case_record").all() == [("A001",)]
        hits = conn.exec_driver_sql("SELECT rowid FROM case_record_fts WHERE case_record_fts MATCH '宅基地'").all()
        assert hits == [(1,)]
    assert db.integrity_problems() == []
    copies = list((tmp_path / "backups").glob("station-*-pre-upgrade.db"))
    assert len(copies) == 1
    kept = sqlite3.connect(copies[0])
    assert kept.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert kept.execute("SELECT count(*) FROM case_record").fetchone() == (1,)
    kept.close()
    db.close()


def test_writes_roll_back_whole(db, station):
    """A failure in the middle of a unit of work leaves nothing of it behind."""
    with pytest.raises(RuntimeError):
        with db.write() as session:
            from models import Team

            session.add(Team(station_id=1, name="临时队"))
            session.flush()
            raise RuntimeError("boom")
    assert [n for _, n in org.list_teams(db)] == ["社区警务一队", "案件办理队"]


def test_the_page_cache_is_sized_by_the_files_kind(tmp_path):
    """64 MB per connection where SQLCipher decrypts the pages, 8 MB on a plain file (whose pages
    the system's file cache holds): the pragma as each new connection reads it back."""
    from app.services import accounts
    from app.store.sqlite import ENCRYPTED_PAGE_CACHE_KIB, PLAIN_PAGE_CACHE_KIB

    assert (PLAIN_PAGE_CACHE_KIB, ENCRYPTED_PAGE_CACHE_KIB) == (8192, 65536)

    def caches(store) -> list[int]:
        with store.engine.connect() as a, store.engine.connect() as b:  # two pooled connections
            return [c.exec_driver_sql("PRAGMA cache_size").scalar() for c in (a, b)]

    plain = SqliteStore(tmp_path / "plain.db", create=True)
    try:
        assert caches(plain) == [-8192, -8192]
    finally:
        plain.close()
    accounts.create_protected_database(tmp_path / "secret.db", "admin-pass-1").close()
    session = accounts.login(tmp_path / "secret.db", "admin", "admin-pass-1")
    try:
        assert session.db.key is not None
        assert caches(session.db) == [-65536, -65536]
    finally:
        session.db.close()

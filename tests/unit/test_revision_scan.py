"""The start-up reads the migration chain from the scripts' own lines; Alembic must agree."""
from app.store import base as dbmod, revisions


def test_the_light_revision_scan_agrees_with_alembic():
    revisions.script_revisions.cache_clear()
    dbmod._revision_graph.cache_clear()
    assert revisions.script_revisions() is not None  # the scripts' lines describe the chain
    head, known = dbmod._revision_graph()
    alembic_head, alembic_known = dbmod._alembic_revision_graph()
    assert head == alembic_head
    assert known == alembic_known
    assert dbmod.head_revision() == head and dbmod.known_revisions() == set(known)


def test_an_unreadable_layout_falls_back_to_alembic(tmp_path, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    # Two heads (an unmerged branch): the light scan cannot pick one and must not guess.
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (versions / "b.py").write_text('revision = "b"\ndown_revision = None\n', encoding="utf-8")
    called = []
    monkeypatch.setattr(revisions, "MIGRATIONS_DIR", tmp_path)
    monkeypatch.setattr(dbmod, "_alembic_revision_graph", lambda: called.append(1) or ("x", frozenset({"x"})))
    revisions.script_revisions.cache_clear()
    dbmod._revision_graph.cache_clear()
    try:
        assert revisions.script_revisions() is None  # the first page's reader then shows nothing early
        assert dbmod._revision_graph() == ("x", frozenset({"x"}))
        assert called
    finally:
        revisions.script_revisions.cache_clear()
        dbmod._revision_graph.cache_clear()

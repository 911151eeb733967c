"""The record tables' shapes, without SQLAlchemy: their columns, a query, a display row, an opening.

app.services.tables reads them (SQL statements built from the columns' sources); the window's
frame (ui.window_frame) and app.services.first_page show a station's first page before SQLAlchemy
and the models are imported, so nothing here imports either.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.levels import Level, Module, module_of

#: What a list shows unless asked otherwise: voided entries and disputes that became cases are
#: kept forever but leave the working lists (DOMAIN.md, closed loop).
DEFAULT_STATUSES = frozenset({"active", "closed"})
STATUS_ORDER = ("active", "closed", "converted", "voided")
#: Rows per page asked of `fetch_rows`: about three screens, one ~1 ms query.
PAGE_SIZE = 256
#: Rows per page the table views ask for: a screen is about 35 rows, and a jump of the scroll bar
#: loads one or two pages, so a smaller page than the service's default keeps that frame short.
VIEW_PAGE_SIZE = 96


@dataclass(frozen=True)
class Column:
    """One table column: a stable key (the UI maps it to a header) and where its value comes from.

    `source` is "<table>.<column>", where the table is `rec` (the record itself) or one of the
    joined display tables `officer`, `team_leader`, `leader` (officers by role) and `team`."""

    key: str
    source: str
    sortable: bool = True
    #: Shown masked (resident ID numbers): the full value never reaches a list.
    masked: bool = False

    @property
    def table(self) -> str:
        return self.source.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.source.split(".", 1)[1]


_PEOPLE = (
    Column("status", "rec.status"),
    Column("officer", "officer.name"),
    Column("team", "team.name"),
    Column("team_leader", "team_leader.name"),
    Column("leader", "leader.name"),
    Column("next_due", "rec.next_due"),
)

COLUMNS: dict[Module, tuple[Column, ...]] = {
    Module.CASE: (
        Column("level", "rec.level"),
        Column("case_no", "rec.case_no"),
        Column("kind", "rec.kind"),
        Column("cause", "rec.cause"),
        Column("place", "rec.place"),
        Column("accepted_on", "rec.accepted_on"),
        *_PEOPLE,
        Column("summary", "rec.summary", sortable=False),
    ),
    Module.DISPUTE: (
        Column("level", "rec.level"),
        Column("dispute_no", "rec.dispute_no"),
        Column("category", "rec.category"),
        Column("focus_area", "rec.focus_area"),
        Column("parties", "rec.parties"),
        Column("community", "rec.community"),
        Column("found_on", "rec.found_on"),
        *_PEOPLE,
        Column("summary", "rec.summary", sortable=False),
    ),
    Module.PERSON: (
        Column("level", "rec.level"),
        Column("name", "rec.name"),
        Column("id_number", "rec.id_number", sortable=False, masked=True),
        Column("risk_categories", "rec.risk_categories"),
        Column("community", "rec.community"),
        Column("listed_on", "rec.listed_on"),
        *_PEOPLE,
        Column("summary", "rec.summary", sortable=False),
    ),
}

#: At a branch office (分局) the tables hold several stations' records: this column names the
#: owning station. It is not in COLUMNS (a station's own tables never show it); `columns_for(
#: module, branch=True)` puts it after the level.
STATION_COLUMN = Column("station", "station.name")


def columns_for(module: str | Module, branch: bool = False) -> tuple[Column, ...]:
    """A module's columns; at a branch with the owning station's name second (after the level)."""
    cols = COLUMNS[module_of(module)]
    return (cols[0], STATION_COLUMN, *cols[1:]) if branch else cols


#: The date a module's date-range filter applies to.
MAIN_DATE = {Module.CASE: "accepted_on", Module.DISPUTE: "found_on", Module.PERSON: "listed_on"}


@dataclass(frozen=True)
class TableQuery:
    """What a table shows and in which order. Empty / None fields do not filter."""

    levels: frozenset[str] | None = None
    statuses: frozenset[str] = DEFAULT_STATUSES
    text: str = ""
    officer_id: int | None = None
    team_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue_only: bool = False
    #: Case kind, dispute category or key-person risk category (a code of the module's closed list).
    category: str | None = None
    #: Records naming this officer in any of the three roles (officer, team leader, station leader).
    person_id: int | None = None
    leader_id: int | None = None
    team_leader_id: int | None = None
    #: Due on exactly this day (my work: "due today").
    due_on: date | None = None
    sort_key: str = "level"
    descending: bool = False
    #: The day "overdue" is judged on (default: today).
    as_of: date | None = None
    #: Exactly these records (a chart's drill-down); None does not filter, an empty set shows none.
    ids: frozenset[int] | None = None
    #: One station's records only (the branch console's station filter).
    station_id: int | None = None
    #: Search words spelt in pinyin or initials (zhang, zgs) and the officers whose names they
    #: spell: such a word also finds the records naming one of them in any of the three roles.
    #: Filled by `with_name_matches` from `text`; the view never sets it.
    name_matches: tuple[tuple[str, frozenset[int]], ...] = ()

    def today(self) -> date:
        return self.as_of or date.today()


@dataclass(frozen=True, slots=True)
class TableRow:
    """One display row: values in column order, with native types (date, str, int, None)."""

    id: int
    level: str
    status: str
    overdue: bool
    values: tuple[Any, ...] = field(default=())


@dataclass(frozen=True)
class FilterChoices:
    """What a table view's filters offer, read with its first rows: whether the database is a
    branch office's (a station column and filter), the active officers and teams, and at a
    branch the stations."""

    branch: bool
    officers: tuple[tuple[int, str], ...]
    teams: tuple[tuple[int, str], ...]
    stations: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class TableOpening:
    """What a table view shows first, read in one unit of work (one transaction: on a station
    server one BEGIN, its queries and one ROLLBACK, instead of one of each per question)."""

    #: The ids in display order: all of them, or the first page of a large table (`complete` False).
    ids: array[int]
    complete: bool
    #: The display rows of the first page (`page_size` ids).
    rows: tuple[TableRow, ...]
    #: Per level, (records, overdue) under every filter but the level one; None for a large table
    #: opened on its first page (counted after its first paint, with the rest of its ids).
    counts: dict[Level, tuple[int, int]] | None
    #: With `choices=True`: the filters' choices (and whether the rows are a branch's).
    choices: FilterChoices | None = None

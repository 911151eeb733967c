"""The ledger import's columns are fields of the domain (app/domain/fields.py): the same key,
label and kind as the record forms'; the ledger keeps only the titles other tools give them."""
from __future__ import annotations

import pytest

from app.domain.fields import RECORD_FIELDS, field_label, record_fields
from app.domain.levels import Module
from app.ledger.fields import COLUMNS, FIELDS, field_specs, normalise_title
from app.ledger.mapping import parse_mapping


@pytest.mark.parametrize("module", list(Module))
def test_every_ledger_field_is_a_domain_field_with_its_label_and_kind(module):
    domain = record_fields(module)
    assert [s.key for s in FIELDS[module]] == [c.key for c in COLUMNS[module]]
    for spec in FIELDS[module]:
        assert spec.key in domain, f"{module.value}.{spec.key} is not a field of the domain"
        assert spec.zh == field_label(spec.key, 0, module.value), spec.key
        assert spec.en == field_label(spec.key, 1, module.value), spec.key
        assert spec.zh != spec.key and spec.en != spec.key, f"{spec.key} has no label"
        assert spec.kind == domain[spec.key].kind, spec.key


@pytest.mark.parametrize("module", list(Module))
def test_every_field_a_form_shows_has_a_ledger_column_but_the_flag(module):
    """The ledger can fill in whatever the form can (the camera watch-list flag is set in the app)."""
    missing = {f.key for f in RECORD_FIELDS[module]} - set(field_specs(module)) - {"skynet"}
    assert missing == set()


@pytest.mark.parametrize("module", list(Module))
def test_a_label_names_no_other_columns_title(module):
    """A mapping file may name a field by its label: the label must not be another field's title."""
    specs = FIELDS[module]
    for spec in specs:
        for other in specs:
            if other.key != spec.key:
                assert normalise_title(spec.zh) not in map(normalise_title, other.titles), (spec.key, other.key)


def test_a_mapping_file_names_a_field_by_its_label_or_by_an_older_title():
    """Mapping files written when the ledger had its own labels (案件细类) still read."""
    by_label = parse_mapping(Module.CASE, {"columns": {"细类": field_label("category", 0, "case")}})
    by_title = parse_mapping(Module.CASE, {"columns": {"细类": "案件细类"}})
    assert by_label.columns == by_title.columns == {"细类": "category"}


def test_the_template_reads_the_domain_kinds():
    """A closed list is a drop-down, the key person's categories (several at once) are not, and
    the code and ID columns are text: what the template does follows the domain's kinds."""
    from app.ledger.template import template_workbook

    specs = FIELDS[Module.PERSON]
    wb = template_workbook(Module.PERSON)
    ws = wb.active
    listed = {str(r).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation
              for r in dv.sqref.ranges}
    letters = {s.key: ws.cell(2, c).column_letter for c, s in enumerate(specs, start=1)}
    assert letters["level"] in listed and letters["sex"] in listed
    assert letters["risk_categories"] not in listed
    notes = {row[0]: row[2] for row in wb["填写说明"].iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert notes[field_specs(Module.PERSON)["risk_categories"].titles[0]].startswith("可多选")
    assert ws.cell(3, [s.key for s in specs].index("id_number") + 1).number_format == "@"

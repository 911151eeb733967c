"""One definition of each record field (app/domain/fields.py): the form asks it which fields are
required, and the services refuse a record without any of them, naming that field."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.fields import RECORD_FIELDS, field_label, field_values, required_fields
from app.domain.levels import Level, Module
from app.errors import ValidationError
from app.services.records import CaseInput, DisputeInput, PersonInput, check_case, validate_dispute, validate_person

DAY = date.today() - timedelta(days=10)


def full_input(module: Module, level: str):
    """An input with every field of the module filled in (valid at any level)."""
    if module == Module.CASE:
        return CaseInput("A2026001", "criminal", level, DAY, category="盗窃", cause="入室盗窃", place="幸福路1号",
                         summary="夜间入室", filed_on=DAY, solved_on=DAY + timedelta(days=1),
                         closed_on=DAY + timedelta(days=2))
    if module == Module.DISPUTE:
        return DisputeInput("J2026001", "police_primary", "visit", level, DAY, parties="张三、李四", place="幸福小区",
                            community="幸福社区", summary="噪音", resolved_on=DAY + timedelta(days=1),
                            outcome="调解成功")
    return PersonInput("王五", level, DAY, phone="13800138000", address="幸福路2号", community="幸福社区", grid="一网格",
                       risk_categories=("mental_incident",), control_plan="一人一策", mental_risk_grade=4,
                       guardian_name="王六", guardian_phone="13900139000", summary="定期走访")


CHECK = {Module.CASE: check_case, Module.DISPUTE: validate_dispute, Module.PERSON: validate_person}


def blank_of(value):
    return "" if isinstance(value, str) else () if isinstance(value, tuple) else None


@pytest.mark.parametrize("module", list(Module))
@pytest.mark.parametrize("level", [lv.value for lv in Level])
def test_the_services_refuse_each_field_the_domain_requires(module, level):
    data = full_input(module, level)
    CHECK[module](replace(data))  # complete: accepted
    need = required_fields(module, level, field_values(module, data))
    assert need, (module, level)
    for key in need:
        broken = replace(data, **{key: blank_of(getattr(data, key))})
        with pytest.raises(ValidationError) as info:
            CHECK[module](broken)
        assert info.value.field == key, (module, level, key, info.value)


@pytest.mark.parametrize("module", list(Module))
@pytest.mark.parametrize("level", [lv.value for lv in Level])
def test_a_field_the_domain_does_not_require_may_be_left_blank(module, level):
    data = full_input(module, level)
    need = required_fields(module, level, field_values(module, data))
    optional = [f.key for f in RECORD_FIELDS[module] if f.key not in need and f.key != "level"
                and f.kind in ("text", "long", "phone", "id", "date")]
    assert optional
    for key in optional:
        if module == Module.CASE and key in ("filed_on", "solved_on"):
            continue  # the order of the case's dates is checked apart
        CHECK[module](replace(data, **{key: blank_of(getattr(data, key))}))


def test_the_level_rules_are_in_the_definition():
    assert "closed_on" in required_fields(Module.CASE, "green", {})
    assert "closed_on" not in required_fields(Module.CASE, "yellow", {})
    assert {"resolved_on", "outcome"} <= required_fields(Module.DISPUTE, Level.GREEN, {})
    assert "control_plan" in required_fields(Module.PERSON, "red", {})
    assert "guardian_name" in required_fields(Module.PERSON, "yellow", {"mental_risk_grade": 3})
    assert "guardian_name" not in required_fields(Module.PERSON, "yellow", {"mental_risk_grade": 2})
    for module in Module:
        for f in RECORD_FIELDS[module]:
            assert field_label(f.key, 0, module.value) != f.key, f"{f.key} has no Chinese label"
            assert field_label(f.key, 1, module.value) != f.key, f"{f.key} has no English label"

"""Resident ID numbers (GB 11643-1999) and phone numbers: validation with the reason named."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

from app.errors import ValidationError

#: Province-level codes of GB/T 2260 (the first two digits of every resident ID number).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split())


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" or "F": the 17th digit, odd for male


def parse_id_number(value: str, field: str = "id_number") -> ResidentId:
    """Normalise and check an 18-character resident ID number; raise a ValidationError naming the fault."""
    raw = (value or "").strip().replace(" ", "").upper()
    if not raw:
        raise ValidationError("身份证号不能为空", "ID number is empty", field)
    if len(raw) != 18:
        raise ValidationError(f"身份证号应为18位，实际{len(raw)}位：{raw}",
                              f"ID number must have 18 characters, got {len(raw)}: {raw}", field)
    if not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise ValidationError(f"身份证号只能是17位数字加一位数字或X：{raw}",
                              f"ID number must be 17 digits and a digit or X: {raw}", field)
    try:
        birth = ric.get_birth_date(raw)
    except stdnum_exc.ValidationError:
        raise ValidationError(f"身份证号中的出生日期无效：{raw[6:14]}",
                              f"birth date in the ID number is not a date: {raw[6:14]}", field) from None
    if birth > date.today():
        raise ValidationError(f"身份证号中的出生日期在将来：{raw[6:14]}",
                              f"birth date in the ID number is in the future: {raw[6:14]}", field)
    # The county code is not checked against today's list: ID numbers keep the code of the
    # county that issued them, and retired codes (e.g. 440524) are still valid numbers.
    if raw[:2] not in PROVINCE_CODES:
        raise ValidationError(f"身份证号前两位不是有效的省级行政区代码：{raw[:2]}",
                              f"the first two digits are not a province code: {raw[:2]}", field)
    expected = ric.calc_check_digit(raw)
    if raw[17] != expected:
        raise ValidationError(f"身份证号校验位错误：{raw}（末位应为{expected}）",
                              f"ID number check character is wrong: {raw} (should end in {expected})", field)
    sex = "M" if int(raw[16]) % 2 == 1 else "F"
    return ResidentId(raw, birth, sex)


def normalise_mobile(value: str, field: str = "phone") -> str:
    """An 11-digit mainland mobile number (accepts +86 and spaces); raise naming the fault."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError("手机号不能为空", "mobile number is empty", field)
    try:
        num = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(f"手机号格式错误：{raw}", f"not a phone number: {raw}", field) from None
    national = str(num.national_number)
    if num.country_code != 86 or len(national) != 11 or not national.startswith("1"):
        raise ValidationError(f"手机号应为以1开头的11位数字：{raw}",
                              f"a mobile number has 11 digits starting with 1: {raw}", field)
    if not phonenumbers.is_valid_number(num) or phonenumbers.number_type(num) not in (
            phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(f"不是有效的手机号：{raw}", f"not a valid mobile number: {raw}", field)
    return national


def normalise_phone(value: str, field: str = "phone") -> str:
    """A phone number where one is asked (a person's, a guardian's): an 11-digit mobile number, or a
    landline with its area code (0791-86123456, 010-62345678; written with or without the dash or
    spaces), returned as 0AREA-NUMBER. Raise naming the fault."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError("联系电话不能为空", "the phone number is empty", field)
    digits = raw.replace(" ", "").replace("-", "")
    if digits.startswith("0") and not digits.startswith("00"):
        try:
            num = phonenumbers.parse(digits, "CN")
        except phonenumbers.NumberParseException:
            num = None
        national = str(num.national_number) if num is not None else ""
        area = phonenumbers.length_of_geographical_area_code(num) if num is not None else 0
        if (num is not None and num.country_code == 86 and len(national) in (10, 11) and area
                and phonenumbers.is_valid_number(num)
                and phonenumbers.number_type(num) == phonenumbers.PhoneNumberType.FIXED_LINE):
            return f"0{national[:area]}-{national[area:]}"
        raise ValidationError(f"固定电话应为区号加7至8位号码，如 0791-86123456：{raw}",
                              f"a landline is the area code and 7 or 8 digits, e.g. 0791-86123456: {raw}", field)
    return normalise_mobile(raw, field)


def mask_id_number(number: str | None) -> str:
    """3601**********1234: the first four and last four characters, for screens and exports."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_name(name: str | None) -> str:
    """张*三 / 张* : keep the first and last character of a name."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

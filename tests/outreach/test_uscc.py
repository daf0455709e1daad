"""The unified social credit code (统一社会信用代码, GB 32100-2015): validator and database."""

import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from outreach.models import Enterprise
from outreach.validators import USCC_ALPHABET, normalize_uscc, validate_uscc
from tests.factories import EnterpriseFactory

#: Codes of real, registered enterprises, whose check characters are known to be right.
REAL_CODES = [
    "914403001922038216",
    "9144030071526726XG",
    "91330100716105852F",
    "91110000600037341L",
    "91350000158142711F",
    "91310000MA1FL1MMXL",
]
VALID = REAL_CODES[0]


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    return excinfo.value


def names_position(message: str, position: int) -> bool:
    """Whether ``message`` names character ``position`` (as a whole number, not 1 of 12)."""
    return re.search(rf"(?<!\d){position}(?!\d)", message) is not None


def with_char(code: str, position: int, char: str) -> str:
    """``code`` with its character at 1-based ``position`` replaced by ``char``."""
    return code[: position - 1] + char + code[position:]


# --- accepted -----------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_uscc(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_typed_in_lower_case_with_spaces_are_accepted(code):
    typed = f" {code[:6]} {code[6:12]}  {code[12:]} ".lower()
    assert normalize_uscc(typed) == code
    validate_uscc(typed)
    validate_uscc(code.lower())


# --- any single-character change fails ----------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_single_character_change_is_refused(code):
    accepted = []
    for position in range(1, 19):
        for char in USCC_ALPHABET:
            if char == code[position - 1]:
                continue
            changed = with_char(code, position, char)
            try:
                validate_uscc(changed)
            except ValidationError:
                continue
            accepted.append(changed)
    assert accepted == []


@pytest.mark.parametrize("code", REAL_CODES)
def test_changed_check_character_is_reported_as_a_check_failure(code):
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(code[17]) + 1) % len(USCC_ALPHABET)]
    error = error_of(code[:17] + wrong)
    assert error.code == "uscc_check_digit"
    assert names_position(error.messages[0], 18)


def test_mistyped_character_before_the_check_character_is_reported_as_a_check_failure():
    # Position 10 changed from 7 to 8: still a legal character, so only the check catches it.
    error = error_of(with_char("91350000158142711F", 10, "8"))
    assert error.code == "uscc_check_digit"


# --- the right error, naming the position ---------------------------------------------


@pytest.mark.parametrize("value", ["", "9135000015814271", VALID[:17], VALID + "0", VALID * 2])
def test_wrong_length_is_refused(value):
    error = error_of(value)
    assert error.code == "uscc_length"
    assert names_position(error.messages[0], len(value))


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("position", [1, 2, 9, 12, 17, 18])
def test_forbidden_letters_are_refused_naming_their_position(letter, position):
    error = error_of(with_char(VALID, position, letter))
    assert error.code == "uscc_character"
    assert names_position(error.messages[0], position)
    assert letter in error.messages[0]


@pytest.mark.parametrize("char", ["-", "*", "中", "０"])
def test_other_characters_are_refused_naming_their_position(char):
    error = error_of(with_char(VALID, 12, char))
    assert error.code == "uscc_character"
    assert names_position(error.messages[0], 12)


@pytest.mark.parametrize("position", range(3, 9))
@pytest.mark.parametrize("letter", ["A", "X"])
def test_letter_in_the_division_code_is_refused_naming_its_position(position, letter):
    error = error_of(with_char(VALID, position, letter))
    assert error.code == "uscc_division"
    assert names_position(error.messages[0], position)


def test_forbidden_letter_in_the_division_code_is_reported_as_a_forbidden_character():
    error = error_of(with_char(VALID, 5, "O"))
    assert error.code == "uscc_character"
    assert names_position(error.messages[0], 5)


# --- the database and the model ------------------------------------------------------


@pytest.mark.django_db
def test_database_refuses_two_enterprises_with_the_same_code():
    EnterpriseFactory(uscc=VALID)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(uscc=VALID)
    assert Enterprise.objects.filter(uscc=VALID).count() == 1


@pytest.mark.django_db
def test_database_allows_many_enterprises_without_a_code():
    EnterpriseFactory.create_batch(3, uscc="")
    assert Enterprise.objects.filter(uscc="").count() == 3


@pytest.mark.django_db
def test_full_clean_rejects_a_bad_code():
    enterprise = EnterpriseFactory.build(branch=EnterpriseFactory().branch, uscc=VALID[:17] + "0")
    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()
    assert [error.code for error in excinfo.value.error_dict["uscc"]] == ["uscc_check_digit"]


@pytest.mark.django_db
def test_full_clean_rejects_a_code_already_taken():
    existing = EnterpriseFactory(uscc=VALID)
    enterprise = EnterpriseFactory.build(branch=existing.branch, uscc=VALID)
    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()
    # A conditional UniqueConstraint reports a form-wide (non-field) error.
    assert list(excinfo.value.error_dict) == [NON_FIELD_ERRORS]


@pytest.mark.django_db
def test_full_clean_accepts_a_good_code_and_an_empty_one():
    branch = EnterpriseFactory(uscc="").branch
    EnterpriseFactory.build(branch=branch, uscc=REAL_CODES[-1]).full_clean()
    EnterpriseFactory.build(branch=branch, uscc="").full_clean()

"""The org-chart import validates each address shape once (`address_shape`): an address and its
shape must be valid or invalid together, under the validator's own rules."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.domain.orgchart import address_shape


def valid(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


TRICKY = [
    "ana.alves@acme.test", "a..b@acme.test", ".ana@acme.test", "ana.@acme.test",
    "x" * 64 + "@acme.test", "x" * 65 + "@acme.test", "a" * 64 + "@" + "b" * 63 + ".test",
    "Ana+Tag@Acme.TEST", "ana_1-2~3@acme.test", "ana alves@acme.test", "ana@@acme.test",
    "@acme.test", "ana@", "ana", "josé@acme.test", "ana@acme", "\"ana\"@acme.test",
    "ana@-acme.test", "0123456789@acme.test", "ana@acme.test.", "ana(x)@acme.test",
]  # fmt: skip


@pytest.mark.parametrize("address", TRICKY)
def test_an_address_and_its_shape_are_valid_together(address: str) -> None:
    assert valid(address_shape(address)) == valid(address)


LOCAL = st.text(
    alphabet=st.sampled_from("abcXYZ019.-_+~!#$%&'*/=?^`{|}\"() @é\u00a0"), max_size=70
)
DOMAIN = st.sampled_from(["acme.test", "a.io", "ex-ample.co.uk", "acme", "-x.test", "ACME.TEST"])


@settings(max_examples=300)
@given(local=LOCAL, domain=DOMAIN)
def test_any_address_and_its_shape_are_valid_together(local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    assert valid(address_shape(address)) == valid(address)


def test_people_of_one_shape_share_it() -> None:
    assert address_shape("ana.alves@acme.test") == address_shape("bob.smith@acme.test")
    assert address_shape("ana.alves@acme.test") != address_shape("ana.alves@other.test")

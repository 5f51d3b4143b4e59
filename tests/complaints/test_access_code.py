"""The access code's secrecy: enough randomness, never derived from the complaint, stored only
as a salted HMAC, and a look-up that answers a wrong code and an unknown number alike, by the
same code path (the same queries and the same hash work)."""

import math
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import access_codes, selectors, services
from complaints.models import Complaint, ComplaintMessage, DriverEmail
from tests.complaints.factories import register, submit_online
from tollservice.audit.models import AuditEntry
from tollservice.core.errors import DomainError


def test_a_code_has_at_least_128_bits_from_the_secrets_module(monkeypatch):
    assert access_codes.BITS == access_codes.LENGTH * math.log2(len(access_codes.ALPHABET)) >= 128
    codes = [access_codes.new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == access_codes.LENGTH and set(c) <= set(access_codes.ALPHABET) for c in codes)
    # Every character of the alphabet turns up about equally often (no bias towards a few).
    counts = Counter("".join(codes))
    expected = len(codes) * access_codes.LENGTH / len(access_codes.ALPHABET)
    assert all(abs(n - expected) < expected * 0.15 for n in counts.values())
    # Drawn with ``secrets``: nothing else feeds it.
    drawn = []
    monkeypatch.setattr(access_codes.secrets, "choice", lambda seq: drawn.append(seq) or seq[0])
    assert access_codes.new_code() == "0" * access_codes.LENGTH and len(drawn) == access_codes.LENGTH


def test_codes_are_not_derived_from_the_complaint(people):
    # Two complaints alike in every way a code could be derived from get unrelated codes.
    first = submit_online(people, phone="13800001111")
    second = submit_online(people, phone="13800001111")
    assert first.access_code != second.access_code
    assert first.complaint.access_code_salt != second.complaint.access_code_salt


def test_the_code_is_stored_only_as_a_salted_hmac(people):
    registration = submit_online(people, email="driver@example.invalid")
    code = access_codes.normalise_code(registration.access_code)
    complaint = Complaint.objects.get(pk=registration.complaint.pk)
    assert complaint.access_code_hash == access_codes.code_digest(complaint.access_code_salt, code)
    assert len(complaint.access_code_hash) == 64 and code not in complaint.access_code_hash
    # Nowhere in the rows the registration wrote: complaint, messages, outbox, audit trail.
    stored = " ".join(
        str(value)
        for model in (Complaint, ComplaintMessage, DriverEmail, AuditEntry)
        for row in model.objects.values()
        for value in row.values()
    )
    assert code not in stored and registration.access_code not in stored


def test_the_code_reads_as_typed(people):
    registration = submit_online(people)
    code = registration.access_code
    assert re.fullmatch(r"([0-9A-Z]{4}-){6}[0-9A-Z]{4}", code)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    found = selectors.complaint_lookup(number=registration.tracking_number.replace("-", ""), code=typed)
    assert found is not None and found.pk == registration.complaint.pk


def _lookup_work(number, code, monkeypatch):
    """The queries a look-up makes and the digests it computes and compares."""
    digests, compared = [], []
    real_digest, real_compare = access_codes.code_digest, access_codes.hmac.compare_digest
    monkeypatch.setattr(access_codes, "code_digest", lambda salt, c: digests.append(salt) or real_digest(salt, c))
    monkeypatch.setattr(access_codes.hmac, "compare_digest", lambda a, b: compared.append(1) or real_compare(a, b))
    with CaptureQueriesContext(connection) as queries:
        found = selectors.complaint_lookup(number=number, code=code)
    monkeypatch.undo()
    shapes = [re.sub(r"'[^']*'|%s|\d+", "?", q["sql"]) for q in queries]
    return found, shapes, len(digests), len(compared)


def test_a_wrong_code_and_an_unknown_number_take_the_same_path(people, monkeypatch):
    registration = submit_online(people)
    number = registration.tracking_number
    wrong_code = _lookup_work(number, access_codes.format_code(access_codes.new_code()), monkeypatch)
    unknown_number = _lookup_work("2026-9999", registration.access_code, monkeypatch)
    garbage = _lookup_work("not a number", "", monkeypatch)
    right = _lookup_work(number, registration.access_code, monkeypatch)
    assert wrong_code[0] is None and unknown_number[0] is None and garbage[0] is None
    assert right[0].pk == registration.complaint.pk
    # The same single query (by number), one HMAC and one constant-time comparison every time.
    assert wrong_code[1:] == unknown_number[1:] == garbage[1:] == right[1:] == (right[1], 1, 1)
    assert len(right[1]) == 1


def test_the_driver_service_refuses_a_wrong_code_and_an_unknown_number_alike(people):
    registration = submit_online(people)
    errors = []
    for number, code in [
        (registration.tracking_number, access_codes.new_code()),
        ("2026-9999", registration.access_code),
    ]:
        with pytest.raises(DomainError) as refused:
            services.complaint_driver_add_information(number=number, code=code, text="补充")
        errors.append((str(refused.value), refused.value.code, refused.value.field))
    assert errors[0] == errors[1]


def test_every_channel_gives_the_driver_a_tracking_number_and_a_code(people):  # CMP-9
    for channel in Complaint.Channel.values:
        registration = submit_online(people) if channel == "web" else register(people, channel=channel)
        assert registration.tracking_number == registration.complaint.number
        assert selectors.complaint_lookup(number=registration.tracking_number, code=registration.access_code)


def test_a_new_code_replaces_the_old_one(people):
    registration = register(people)
    new_code = services.complaint_access_code_reissue(complaint=registration.complaint, by=people.office)
    number = registration.tracking_number
    assert selectors.complaint_lookup(number=number, code=registration.access_code) is None
    assert selectors.complaint_lookup(number=number, code=new_code).pk == registration.complaint.pk
    with pytest.raises(DomainError):  # only someone handling the complaint issues one
        services.complaint_access_code_reissue(complaint=registration.complaint, by=people.staff_user)


def test_the_code_is_emailed_once_after_commit_and_never_queued(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit_online(people, email="driver@example.invalid")
    code_mails = [m for m in mailoutbox if registration.access_code in m.body]
    assert len(code_mails) == 1 and code_mails[0].to == ["driver@example.invalid"]
    # The outbox (sent by a worker through the broker) holds the acknowledgement, never the code.
    assert all(registration.access_code not in e.message.body for e in DriverEmail.objects.all())

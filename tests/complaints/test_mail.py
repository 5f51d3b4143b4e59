"""Messages to a driver who gave an email address are emailed once, by a task after commit."""

from complaints.models import ComplaintMessage, DriverEmail
from complaints.services.mail import driver_email_deliver
from tests.complaints.factories import answered, register


def test_each_message_to_the_driver_is_emailed_exactly_once(people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = answered(people, register(people, email="driver@example.invalid").complaint)
    messages = ComplaintMessage.objects.filter(complaint=complaint, direction="to_driver")
    assert DriverEmail.objects.filter(sent_at__isnull=False).count() == messages.count() == 2
    answer = next(m for m in mailoutbox if "答复" in m.subject)
    assert answer.to == ["driver@example.invalid"] and complaint.number in answer.subject
    sent = len(mailoutbox)
    for outbox in DriverEmail.objects.all():  # a second run (a retried task) sends nothing
        assert driver_email_deliver(email_id=outbox.pk) is False
    assert len(mailoutbox) == sent


def test_no_address_no_outbox(people):
    answered(people, register(people).complaint)
    assert not DriverEmail.objects.exists()

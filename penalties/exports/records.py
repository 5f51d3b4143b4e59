"""The records' reports: talks (INS-4), losses of award eligibility (INS-5), circulars."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import EligibilityRevocation, TalkRecord
from tollservice.core.exports import DATE, NUMBER, Column, Report, Row, local_date, user_name
from tollservice.core.text import join_list

# --- Records ----------------------------------------------------------------------------------


class TalkReport(Report):
    """INS-4: appointment and admonishment talks."""

    title = _("Talks")
    filename = "talks"
    columns = (
        Column(_("Held on"), DATE, width=12),
        Column(_("Kind"), width=14),
        Column(_("With"), width=14),
        Column(_("Conducted by"), width=12),
        Column(_("Why the talk was held"), html=False, width=30),
        Column(_("Follow-up required"), html=False, width=30),
        Column(_("Follow-up due"), DATE, width=12),
        Column(_("Follow-up done"), DATE, width=12),
    )

    def row(self, talk: TalkRecord) -> Row:
        subject = talk.staff.name if talk.staff_id else talk.team.name
        url = links.portal_url(links.TALK_DETAIL, pk=talk.pk)
        return self.make_row(
            [
                local_date(talk.held_at),
                talk.get_kind_display(),
                subject,
                talk.conducted_by.name,
                talk.reason,
                talk.follow_up,
                talk.follow_up_due,
                local_date(talk.follow_up_done_at),
            ],
            {0: url, 2: url},
        )


class RevocationReport(Report):
    """INS-5: losses of award eligibility."""

    title = _("Losses of award eligibility")
    filename = "award-eligibility-losses"
    columns = (
        Column(_("Year"), NUMBER, width=8),
        Column(_("Person or team"), width=14),
        Column(_("Reason"), width=36),
        Column(_("Decided on"), DATE, width=12),
        Column(_("Decided by"), html=False),
        Column(_("Withdrawn on"), DATE, width=12),
        Column(_("Reason for withdrawal"), html=False, width=30),
    )

    def row(self, revocation: EligibilityRevocation) -> Row:
        subject = revocation.staff.name if revocation.staff_id else revocation.team.name
        url = links.portal_url(links.REVOCATION_DETAIL, pk=revocation.pk)
        return self.make_row(
            [
                revocation.year,
                subject,
                revocation.reason,
                local_date(revocation.decided_at),
                user_name(revocation.decided_by),
                local_date(revocation.withdrawn_at),
                revocation.withdrawal_reason,
            ],
            {0: url, 1: url},
        )


class CircularReport(Report):
    """Circulars (通报): criticisms drafted by the rules, published by the office."""

    title = _("Circulars")
    filename = "circulars"
    columns = (
        Column(_("Title"), width=40),
        Column(_("Kind"), width=16),
        Column(_("Status"), width=10),
        Column(_("Persons concerned"), width=20),
        Column(_("Published on"), DATE, width=12),
    )

    def row(self, circular) -> Row:
        url = links.portal_url(links.CIRCULAR_DETAIL, pk=circular.pk)
        names = join_list(dict.fromkeys(p.staff.name for p in circular.penalties.all()))
        return self.make_row(
            [
                circular.title,
                circular.get_kind_display(),
                circular.get_status_display(),
                names,
                local_date(circular.published_at),
            ],
            {0: url},
        )

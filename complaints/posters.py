"""The lanes' complaint posters: a QR code (segno) that opens the public complaint form with the
lane filled in, at the portal's public address (``PORTAL_BASE_URL``)."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tollservice.roster.models import Lane


@dataclass(frozen=True)
class Poster:
    lane: Lane
    url: str
    qr_svg: SafeString


def form_url(lane: Lane | None = None) -> str:
    """The public form's absolute address, for ``lane`` when given."""
    path = reverse("complaints:public_form")
    if lane is not None:
        path = f"{path}?lane={lane.pk}"
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def qr_svg(url: str) -> SafeString:
    # Medium error correction survives a scuffed poster; the SVG is drawn by segno from the
    # address alone (no user input), so it is safe to inline.
    code = segno.make(url, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True))  # noqa: S308


def lane_posters() -> list[Poster]:
    """One poster per active lane, in the lanes' display order."""
    lanes = Lane.objects.filter(active=True).select_related("station").order_by("order", "number")
    return [Poster(lane=lane, url=(url := form_url(lane)), qr_svg=qr_svg(url)) for lane in lanes]

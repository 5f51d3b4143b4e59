"""Lanes (车道) and booths (收费亭): where the service happens. Inspections and complaints name
them; they are never deleted (a closed lane is inactive, and old records keep it)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.roster.excel import ImportProblem
from tollservice.roster.models import Booth, Lane, Station


def _number(value: str, *, field: str = "number") -> str:
    number = (value or "").strip()
    if not number:
        raise DomainError(_("Give the number."), field=field)
    return number


def _unique(model, *, station: Station, number: str, exclude_pk: int | None = None) -> None:
    clash = model.objects.filter(station=station, number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        message = _("Lane %(number)s exists already.") if model is Lane else _("Booth %(number)s exists already.")
        raise DomainError(message, field="number", params={"number": number})


def _check_kind(direction: str, kind: str) -> None:
    if direction not in Lane.Direction.values:
        raise DomainError(_("Choose entry or exit."), field="direction")
    if kind not in Lane.Kind.values:
        raise DomainError(_("Choose the kind of lane."), field="kind")


def lane_create(
    *,
    actor,
    station: Station,
    number: str,
    direction: str,
    kind: str = Lane.Kind.MIXED,
    heading: str = "",
    order: int = 0,
    summary: str = "",
) -> Lane:
    number = _number(number)
    _check_kind(direction, kind)
    with transaction.atomic():
        _unique(Lane, station=station, number=number)
        return audited_create(
            actor=actor,
            model=Lane,
            summary=summary,
            station=station,
            number=number,
            direction=direction,
            kind=kind,
            heading=(heading or "").strip(),
            order=order or 0,
        )


def lane_update(
    *,
    actor,
    lane: Lane,
    number: str,
    direction: str,
    kind: str,
    heading: str = "",
    order: int = 0,
    active: bool = True,
    summary: str = "",
) -> Lane:
    """Change a lane; closing it (``active=False``) keeps it on the records that name it."""
    number = _number(number)
    _check_kind(direction, kind)
    with transaction.atomic():
        lane = locked(lane)
        _unique(Lane, station=lane.station, number=number, exclude_pk=lane.pk)
        audited_change(
            actor=actor,
            instance=lane,
            summary=summary,
            number=number,
            direction=direction,
            kind=kind,
            heading=(heading or "").strip(),
            order=order or 0,
            active=active,
        )
    return lane


def _check_lane(lane: Lane | None, station: Station) -> None:
    if lane is None:
        return
    if lane.station_id != station.pk:
        raise DomainError(_("This lane belongs to another station."), field="lane")
    if not lane.active:
        raise DomainError(_("Lane %(number)s is closed."), field="lane", params={"number": lane.number})


def booth_create(*, actor, station: Station, number: str, lane: Lane | None = None, summary: str = "") -> Booth:
    number = _number(number)
    _check_lane(lane, station)
    with transaction.atomic():
        _unique(Booth, station=station, number=number)
        return audited_create(actor=actor, model=Booth, summary=summary, station=station, number=number, lane=lane)


def booth_update(
    *, actor, booth: Booth, number: str, lane: Lane | None = None, active: bool = True, summary: str = ""
) -> Booth:
    number = _number(number)
    with transaction.atomic():
        booth = locked(booth)
        if lane is not None and lane.pk != booth.lane_id:
            _check_lane(lane, booth.station)
        _unique(Booth, station=booth.station, number=number, exclude_pk=booth.pk)
        audited_change(actor=actor, instance=booth, summary=summary, number=number, lane=lane, active=active)
    return booth


# --- From the roster's Excel file -------------------------------------------------------------------


def _sheet_problem(title, row: int, error) -> ImportProblem:
    return ImportProblem(
        gettext("Sheet “%(sheet)s”, row %(row)s: %(reason)s") % {"sheet": title, "row": row, "reason": error}
    )


def places_import(*, actor, station: Station, places, summary="") -> list[ImportProblem]:
    """Add or update the lanes and booths of the roster file's Lanes and Booths sheets
    (``excel_places.read_places``), by number, through the services above; the problems found,
    each naming its sheet and row (the caller rolls everything back if there is any)."""
    from tollservice.roster.excel_places import BOOTH_SHEET_TITLE, LANE_SHEET_TITLE

    problems = []
    lanes = {lane.number: lane for lane in Lane.objects.filter(station=station)}
    for row in places.lanes:
        values = dict(row.values)
        try:
            with transaction.atomic():
                lane = lanes.get(values["number"])
                if lane is None:
                    active = values.pop("active")
                    lane = lanes[values["number"]] = lane_create(
                        actor=actor, station=station, summary=summary, **values
                    )
                    values["active"] = active
                current = {name: getattr(lane, name) for name in values}
                if current != values:
                    lane_update(actor=actor, lane=lane, summary=summary, **values)
        except DomainError as error:
            problems.append(_sheet_problem(LANE_SHEET_TITLE, row.number, error))
    booths = {booth.number: booth for booth in Booth.objects.filter(station=station)}
    for row in places.booths:
        values = dict(row.values)
        lane_number = values.pop("lane")
        lane = lanes.get(lane_number) if lane_number else None
        if lane_number and lane is None:
            reason = gettext("lane %(number)s does not exist.") % {"number": lane_number}
            problems.append(_sheet_problem(BOOTH_SHEET_TITLE, row.number, reason))
            continue
        try:
            with transaction.atomic():
                booth = booths.get(values["number"])
                if booth is None:
                    booth = booths[values["number"]] = booth_create(
                        actor=actor, station=station, number=values["number"], lane=lane, summary=summary
                    )
                if (booth.lane_id, booth.active) != (lane.pk if lane else None, values["active"]):
                    booth_update(actor=actor, booth=booth, number=booth.number, lane=lane, active=values["active"])
        except DomainError as error:
            problems.append(_sheet_problem(BOOTH_SHEET_TITLE, row.number, error))
    return problems

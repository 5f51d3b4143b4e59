"""The station's working calendar: public holidays and make-up working days (调休).

Time limits counted in working days (a complaint's answer, later inspections and reports) are
computed over it with ``tollservice.core.calendar.workdays``. A day is a working day when it is
Monday to Friday, unless the calendar marks it a holiday, or a Saturday or Sunday that the
calendar marks a make-up working day. The office enters each year's days when the State Council
publishes them (each November) and confirms the year as entered.
"""

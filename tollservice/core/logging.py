"""Logging filters of the portal (wired in ``settings.LOGGING``)."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (a 403 above all) is the portal refusing a request, not a fault in it: log
    the one line Django writes ("Forbidden (Permission denied): /roster/") without the traceback
    of the ``PermissionDenied`` that produced it. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

"""Running service calls at the same moment, each in its own thread and database connection."""

import threading

from django.db import connection

from tollservice.core.errors import DomainError


def race(calls) -> list[tuple[str, object]]:
    """Run each call in its own thread, released together by a barrier; the outcomes, in the
    order they finished: ``("ok", result)``, ``("refused", DomainError)`` or ``("error", exc)``
    for anything else (a deadlock, say), so that a test sees it instead of a dead thread."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", call()))
        except DomainError as exc:
            outcomes.append(("refused", exc))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            outcomes.append(("error", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes

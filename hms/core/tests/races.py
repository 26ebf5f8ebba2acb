"""Two requests at once, as two threads with their own database connections."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

from hms.core.errors import RecordGone


def race(delete: Callable[[], Any], save: Callable[[], Any]) -> list[BaseException]:
    """Run a delete and a save of the same record at the same moment; returns what either raised
    beyond the save being refused because the record is gone."""
    start = threading.Barrier(2)
    unexpected: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            call()
        except BaseException as error:  # whatever it was, the test reports it
            if call is delete or not isinstance(error, RecordGone):
                unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in (delete, save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return unexpected

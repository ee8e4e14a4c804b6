"""Run calls at the same moment in threads (each with its own database connection)."""

import threading

from django.db import connections


def run_together(*calls):
    """Start every call at the same moment in its own thread; return [("ok", result) | ("error", exc)]."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = ("ok", call())
        except Exception as exc:  # the outcome is what the tests check
            outcomes[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

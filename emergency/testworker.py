"""``python -m emergency.testworker [celery arguments]``: a Celery worker on the test clock.

Started by the ``celery_worker`` test fixture so that the worker's "today" is the test's.
"""

import sys

from emergency import testclock

if __name__ == "__main__":
    testclock.travel().start()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())

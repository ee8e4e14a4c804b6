"""The WSGI application of ``benchmark_burst``'s gunicorn: the site with the run's URLconf (the bare
view beside the site's own URLs, in ``benchmark_burst``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the set-up)

settings.BURST_SITE_URLCONF = settings.ROOT_URLCONF
settings.ROOT_URLCONF = "hazards.management.commands.benchmark_burst"

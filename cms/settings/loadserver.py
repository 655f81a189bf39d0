"""The settings of the gunicorn server that ``manage.py bench`` and ``manage.py loadtest`` start.

The parent's settings (``LOADSERVER_PARENT_SETTINGS``: dev, or the test suite's), with
DEBUG off as in production, the database the parent made for the run (DATABASE_URL,
read by the parent's settings), one trusted proxy (so the load's made-up
X-Forwarded-For addresses count as separate visitors for the per-IP limits) and the
URLs of :mod:`cms.loadserver` (the site, plus the minimal sign-up view that is the
benchmark's ceiling). Never used outside those two commands.
"""

import importlib
import os

_parent = importlib.import_module(os.environ.get("LOADSERVER_PARENT_SETTINGS", "cms.settings.dev"))
globals().update({name: value for name, value in vars(_parent).items() if name.isupper()})

DEBUG = False
NUM_PROXIES = 1
ROOT_URLCONF = "cms.loadserver"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# As in production, a request only queues its background work (the sign-up's confirmation
# email) for a Celery worker; the parent's eager setting would run it inside the request.
# No worker runs here, so the in-memory broker's queue is simply dropped with the server.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://"

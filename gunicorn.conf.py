"""Gunicorn, the production web server (docker-compose.yml: `gunicorn chorus.wsgi -c gunicorn.conf.py`).

Sync workers, one request each: a client that sends its request slowly (slowloris) or stops in the middle of an
upload holds one worker until `timeout`, then the master kills that worker and closes the connection; the other
workers keep serving — an anonymous client, a logged-in portal session or an API technical account alike (the API
reads a request's body before its transaction opens, so a slow body holds no database lock). Put a buffering reverse
proxy (nginx) in front for the public internet: it absorbs slow clients
without holding a worker at all. Proven by tests/fiabilite/test_client_lent.py."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
# A request, from its first byte to its last, within 60 s: a portal upload is capped at 120 Mo
# (tables/limites.csv), so 60 s is above what a normal link needs and bounds what a slow client holds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# SIGTERM (docker stop, a deploy): requests in progress get this long to finish (docker-compose's
# stop_grace_period is longer, so docker never SIGKILLs a worker mid-request).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# gunicorn's defaults, stated: a request line and headers bounded in size and number.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# a worker is replaced after this many requests: memory a request leaks is given back
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"

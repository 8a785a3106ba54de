"""Gunicorn settings for Stegvis: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every setting can be changed from the environment, so one file serves a small municipality on one
machine and several app machines behind a reverse proxy. See docs/DEPLOY.md.

- Sync workers: each handles one request at a time, so a worker needs at most two database
  connections (the request's and the audit log's own). The reverse proxy (nginx) buffers slow phones,
  so a slow connection never holds a worker.
- Workers are replaced after about 2 000 requests, which keeps memory flat over weeks.
- A request that takes longer than `timeout` seconds is stopped, and its transaction is rolled back
  by the database: nothing is stored half-way.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Headers larger than this are refused (431/400) before the app sees them.
limit_request_field_size = 8190
# Requests come through the reverse proxy on this machine (or the addresses in FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access logs: gunicorn's format without the query string or the referrer (they may hold ids).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

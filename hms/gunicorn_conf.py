"""gunicorn's settings for ./run: `gunicorn -c python:hms.gunicorn_conf hms.wsgi` (issue 12).

The access log never holds who sent a request: no network address, user agent, referrer, remote
user or any other header, only time, request line, status, size and duration; address secrets
(receipt, public form, calendar feed) are replaced by "…". Requests to the report form, the public
forms and the receipts leave no access log line at all. docs/security.md has the details."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from hms.core.logs import is_private, redact

accesslog = "-"
errorlog = "-"
loglevel = "warning"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "hms.gunicorn_conf.AccessLogger"

# The atoms a format may use: time, request line, method, path, query, protocol, status, sizes,
# durations, process id. Everything else (h, l, u, f, a and every {header}i/o/e) logs as "-".
KEPT_ATOMS = frozenset("trmUqHsbBTDMLp")


class AccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not is_private(environ.get("PATH_INFO", "")):
            super().access(resp, req, environ, request_time)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: Any) -> dict[str, Any]:
        return {name: redact(value) if isinstance(value, str) else value
                for name, value in super().atoms(resp, req, environ, request_time).items()
                if name in KEPT_ATOMS}

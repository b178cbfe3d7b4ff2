"""When the database is out of reach or a request runs out of time: a 503 page in the site's
style that asks the browser to try again later, never the generic error page.

Each request has a time budget (REQUEST_TIME_BUDGET seconds), kept below gunicorn's worker
timeout: a request that is still running when its budget is spent fails at its next query,
and the person gets this page rather than a connection dropped by a killed worker. Queries
themselves are cut short by PostgreSQL's statement timeout (DATABASE_STATEMENT_TIMEOUT).
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Seconds a browser or monitor is asked to wait before trying again.
RETRY_AFTER = 60


class RequestTimeBudgetSpent(Exception):
    """The request ran past its time budget."""


# The connection is refused or lost, the server is shutting down, a statement timed out, or
# SQLite's lock wait ran out: all pass, so the person should try again shortly.
UNAVAILABLE = (OperationalError, InterfaceError, RequestTimeBudgetSpent)


def service_unavailable() -> HttpResponse:
    """The 503 page, rendered without the request context: its processors read the database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        deadline = time.monotonic() + settings.REQUEST_TIME_BUDGET

        def within_budget(execute, sql, params, many, context):
            if time.monotonic() > deadline:
                raise RequestTimeBudgetSpent(f"{request.path} ran past its time budget")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(within_budget):
            return self.get_response(request)

    def process_exception(self, request, exception):
        # Errors outside views (in other middleware) reach handler500 (pfcc.views), which
        # answers the same.
        if isinstance(exception, UNAVAILABLE):
            logger.error("Service unavailable for %s: %r", request.path, exception)
            return service_unavailable()
        return None

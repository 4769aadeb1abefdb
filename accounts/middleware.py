"""Reads that check their session alongside their own queries (see SessionJWTAuthentication._user_on_trust)."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts.authentication import DEFERRABLE, settle

_READS = frozenset({"GET", "HEAD"})


class DeferredSessionCheckMiddleware:
    """Lets a GET or HEAD run on the cached copy of its user while the shared cache's stamps are on their way,
    and settles the check before the response leaves: when the stamps no longer vouch for the copy (a revoked
    session, a changed user) or the cache did not answer, the response is dropped unsent and the request runs
    again with the check made first, exactly as it would have been without the overlap. Only views that declare
    their reads free of side effects (`defers_session_check`) take part. Last in MIDDLEWARE: a second run
    repeats the view alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in _READS:
            return self.get_response(request)
        setattr(request, DEFERRABLE, True)
        user = request.__dict__.get("user")  # as the middleware before this one left it
        response = self.get_response(request)
        if settle(request):
            return response
        _release(response)
        setattr(request, DEFERRABLE, False)
        if user is not None:
            request.user = user  # not the refused copy
        return self.get_response(request)


def _release(response: HttpResponseBase) -> None:
    """What the unsent response holds (a streamed list's server-side cursor), released now as its close() would
    (the view still refers to the response), but without close()'s end-of-request signal, which may close the
    database connection: the request goes on."""
    for closer in getattr(response, "_resource_closers", ()):
        closer()

import logging

from django.http import HttpRequest, JsonResponse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common import health
from common import health_openapi as docs

logger = logging.getLogger("api.health")


class HealthView(APIView):
    """Liveness and readiness: 200 when the database answers, 503 otherwise."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @docs.health
    def get(self, request: Request) -> Response:
        database = _database_state()
        return Response({"status": database}, status=200 if database == "ok" else 503)


class HealthDependenciesView(HealthView):
    """Each dependency's state; 503 only when the database does not answer."""

    @docs.dependencies
    def get(self, request: Request) -> Response:
        database = _database_state()
        checks = {"database": database, "broker": health.broker_state()}
        return Response({"status": database, "checks": checks}, status=200 if database == "ok" else 503)


def _database_state() -> str:
    if health.database_answers():
        return "ok"
    logger.error("Health check: database unavailable")
    return "unavailable"


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    # No route matched, so no view names a contract: the product's body (a superset of document 001's).
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    # No view is left to name a contract: the product's body (a superset of document 001's).
    return JsonResponse({"detail": "A server error occurred.", "code": "server_error"}, status=500)

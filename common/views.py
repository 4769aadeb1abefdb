import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger("api.health")


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="health",
        tags=["ops"],
        responses={
            200: inline_serializer("HealthOutput", {"status": serializers.CharField()}),
            503: OpenApiResponse(
                response=inline_serializer("HealthUnavailableOutput", {"status": serializers.CharField()}),
                description="The database does not answer; the load balancer should take this process out.",
            ),
        },
        examples=[
            OpenApiExample("Healthy", value={"status": "ok"}, response_only=True, status_codes=["200"]),
            OpenApiExample("Database down", value={"status": "unavailable"}, response_only=True, status_codes=["503"]),
        ],
    )
    def get(self, request: Request) -> Response:
        """Liveness and readiness: 200 when the database answers, 503 otherwise."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            logger.exception("Health check: database unavailable")
            return Response({"status": "unavailable"}, status=503)
        return Response({"status": "ok"})


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    # No route matched, so no view names a contract: the product's body (a superset of document 001's).
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "A server error occurred."}, status=500)

"""OpenAPI of the health endpoints (`common/views.py`)."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

_Health = inline_serializer("HealthOutput", {"status": serializers.CharField()})
_Dependencies = inline_serializer(
    "HealthDependenciesOutput",
    {
        "status": serializers.CharField(help_text="`ok` when the database answers, `unavailable` otherwise."),
        "checks": inline_serializer(
            "HealthChecksOutput",
            {
                "database": serializers.CharField(help_text="`ok` or `unavailable`."),
                "broker": serializers.CharField(
                    help_text="The task queue: `ok`, `unavailable`, or `inline` when tasks run in-process."
                ),
            },
        ),
    },
)


def _example(name: str, value: dict, status: int) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[str(status)])


health = extend_schema(
    operation_id="health",
    tags=["health"],
    summary="Health of the process",
    description=(
        "200 when the database answers on a new connection, 503 when it does not; answered within about 1.5 s even "
        "when the database hangs. For load balancers and uptime probes."
    ),
    responses={
        200: _Health,
        503: OpenApiResponse(
            _Health, description="The database does not answer; the load balancer should take this process out."
        ),
    },
    examples=[
        _example("Healthy", {"status": "ok"}, 200),
        _example("Database down", {"status": "unavailable"}, 503),
    ],
)

dependencies = extend_schema(
    operation_id="health_dependencies",
    tags=["health"],
    summary="Health of each dependency",
    description=(
        "The database and the task broker, checked within about 1.5 s and 1 s. 503 only when the database does not "
        "answer: a broker that is down delays background work (it waits in the database) but the API serves."
    ),
    responses={
        200: _Dependencies,
        503: OpenApiResponse(_Dependencies, description="The database does not answer."),
    },
    examples=[
        _example("Healthy", {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}, 200),
        _example("Broker down", {"status": "ok", "checks": {"database": "ok", "broker": "unavailable"}}, 200),
        _example(
            "Database down", {"status": "unavailable", "checks": {"database": "unavailable", "broker": "ok"}}, 503
        ),
    ],
)

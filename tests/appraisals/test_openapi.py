"""The OpenAPI description of document 003: complete (every body and answer has an example) and true
(the error examples are the answers the API really gives)."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from appraisals.models import AppraisalParticipant
from tests.appraisals.conftest import participant_body
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory

pytestmark = pytest.mark.django_db

JSON_PATCH = "application/json-patch+json"
APPRAISALS = "/api/appraisals/"
APPRAISAL = "/api/appraisals/{appraisalId}"
PARTICIPANTS = "/api/appraisals/{appraisalId}/participants"
PARTICIPANT = "/api/appraisals/{appraisalId}/participants/{participantId}"


@pytest.fixture
def schema(api_client: APIClient) -> dict:
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations_tagged(schema: dict, tag: str) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and tag in operation.get("tags", [])
    ]


def bodies_without_examples(operations: list[tuple[str, str, dict]]) -> list[str]:
    missing = []
    for method, path, operation in operations:
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            if not content.get("examples"):
                missing.append(f"{method.upper()} {path} request {media_type}")
        for code, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if not content.get("examples"):
                    missing.append(f"{method.upper()} {path} {code} {media_type}")
    return missing


def test_schema_has_an_example_for_every_body_and_answer(schema: dict) -> None:
    operations = operations_tagged(schema, "appraisals")

    assert len(operations) == 12
    assert bodies_without_examples(operations) == []
    for method, path, operation in operations:
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
        if "{" in path or method == "get":  # an unknown id, or a page past the end
            assert "404" in operation["responses"], (method, path)


def test_schema_offers_json_patch_bodies_to_patch_only(schema: dict) -> None:
    media_types = {
        (method, path): set(operation["requestBody"]["content"])
        for method, path, operation in operations_tagged(schema, "appraisals")
        if "requestBody" in operation
    }

    assert media_types == {
        ("post", APPRAISALS): {"application/json"},
        ("put", APPRAISAL): {"application/json"},
        ("patch", APPRAISAL): {JSON_PATCH, "application/json"},
        ("post", PARTICIPANTS): {"application/json"},
        ("put", PARTICIPANT): {"application/json"},
        ("patch", PARTICIPANT): {JSON_PATCH, "application/json"},
    }
    for path in (APPRAISAL, PARTICIPANT):
        content = schema["paths"][path]["patch"]["requestBody"]["content"]
        assert content[JSON_PATCH]["examples"] == content["application/json"]["examples"]
        assert {"409", "413", "415"} <= set(schema["paths"][path]["patch"]["responses"])


def test_schema_documents_json_patch_bodies(schema: dict) -> None:
    operation = schema["paths"][PARTICIPANT]["patch"]
    content = operation["requestBody"]["content"]

    patch_body = content[JSON_PATCH]["schema"]
    assert patch_body["type"] == "array"
    # one shape per kind of operation: add/replace/test need a value, move/copy a from, remove neither
    kinds = {tuple(kind["properties"]["op"]["enum"]): kind for kind in patch_body["items"]["oneOf"]}
    assert {op for ops in kinds for op in ops} == {"add", "remove", "replace", "move", "copy", "test"}
    assert kinds[("add", "replace", "test")]["required"] == ["op", "path", "value"]
    assert kinds[("move", "copy")]["required"] == ["op", "path", "from"]
    assert kinds[("remove",)]["required"] == ["op", "path"]
    for kind in kinds.values():
        assert "/dateCompleted" in kind["properties"]["path"]["enum"]
        assert "/id" not in kind["properties"]["path"]["enum"]
    assert content["application/json"]["schema"] == patch_body
    assert {"200", "400", "404", "409"} <= set(operation["responses"])


def test_schema_documents_the_location_header_and_the_status_enum(schema: dict) -> None:
    create = schema["paths"][PARTICIPANTS]["post"]
    components = schema["components"]["schemas"]

    assert "Location" in create["responses"]["201"]["headers"]
    assert components["AppraisalParticipantOutputStatusEnum"]["enum"] == [1, 2, 3, 4, 5]
    assert components["AppraisalParticipantInputStatusEnum"]["enum"] == [1, 2, 3, 4]
    assert "5 deleted" in components["AppraisalParticipantOutput"]["properties"]["status"]["description"]


def test_schema_uses_the_documents_paths_without_trailing_slash(schema: dict) -> None:
    paths = {path for path in schema["paths"] if path.startswith("/api/appraisals")}

    assert paths == {APPRAISALS, APPRAISAL, PARTICIPANTS, PARTICIPANT}


# --- the examples are real answers -------------------------------------------------------------


def example(schema: dict, method: str, path: str, code: str, name: str) -> Any:
    return schema["paths"][path][method]["responses"][code]["content"]["application/json"]["examples"][name]["value"]


def test_error_examples_are_the_answers_the_api_gives(schema: dict, hr_client: APIClient) -> None:
    appraisal = AppraisalFactory(external_id="APR-taken")
    used = AppraisalFactory()
    participant = AppraisalParticipantFactory(appraisal=used, status=1, external_id="P-taken")
    hint = participant.text_hint
    appraisal_url, participants_url = f"{APPRAISALS}{appraisal.pk}", f"{APPRAISALS}{used.pk}/participants"
    participant_url = f"{participants_url}/{participant.pk}"
    missing_user = participant_body(externalId="P-new")
    del missing_user["participantUserExternalId"]

    def patch(url: str, operations: list[dict[str, Any]]) -> Callable[[], Any]:
        return lambda: hr_client.patch(url, data=json.dumps(operations), content_type=JSON_PATCH)

    def post(url: str, body: Any) -> Callable[[], Any]:
        return lambda: hr_client.post(url, body, format="json")

    calls: dict[tuple[str, str, str, str], Callable[[], Any]] = {
        ("get", APPRAISALS, "400", "InvalidFilter"): lambda: hr_client.get(APPRAISALS, {"createdFrom": "x"}),
        ("get", APPRAISALS, "404", "InvalidPage"): lambda: hr_client.get(APPRAISALS, {"page": 99}),
        ("post", APPRAISALS, "400", "MissingTitle"): post(APPRAISALS, {}),
        ("post", APPRAISALS, "400", "DuplicateExternalId"): post(APPRAISALS, {"title": "x", "externalId": "APR-taken"}),
        ("post", APPRAISALS, "413", "TooLarge"): post(APPRAISALS, {"title": "x" * 3_000_000}),
        ("post", APPRAISALS, "415", "UnsupportedMediaType"): lambda: hr_client.post(
            APPRAISALS, "{}", content_type="text/plain"
        ),
        ("get", APPRAISAL, "404", "NotFound"): lambda: hr_client.get(f"{APPRAISALS}999999"),
        ("patch", APPRAISAL, "400", "BadOperation"): patch(
            appraisal_url, [{"op": "replace", "path": "/id", "value": 1}]
        ),
        ("patch", APPRAISAL, "400", "InvalidResult"): patch(
            appraisal_url, [{"op": "replace", "path": "/title", "value": ""}]
        ),
        ("patch", APPRAISAL, "409", "TestFailed"): patch(
            appraisal_url, [{"op": "test", "path": "/title", "value": "x"}]
        ),
        ("patch", APPRAISAL, "415", "UnsupportedMediaType"): lambda: hr_client.patch(
            appraisal_url, "[]", content_type="text/plain"
        ),
        ("delete", APPRAISAL, "409", "HasParticipants"): lambda: hr_client.delete(f"{APPRAISALS}{used.pk}"),
        ("get", PARTICIPANTS, "400", "InvalidFilter"): lambda: hr_client.get(participants_url, {"status": 9}),
        ("get", PARTICIPANTS, "404", "NotFound"): lambda: hr_client.get(f"{APPRAISALS}999999/participants"),
        ("get", PARTICIPANTS, "404", "InvalidPage"): lambda: hr_client.get(participants_url, {"page": 99}),
        ("post", PARTICIPANTS, "400", "MissingField"): post(participants_url, missing_user),
        ("post", PARTICIPANTS, "400", "DeletedStatus"): post(participants_url, participant_body(status=5)),
        ("post", PARTICIPANTS, "400", "InvalidBase64"): post(participants_url, participant_body(textFeedback="x")),
        ("post", PARTICIPANTS, "400", "DuplicateExternalId"): post(
            participants_url, participant_body(externalId="P-taken")
        ),
        ("get", PARTICIPANT, "404", "AppraisalNotFound"): lambda: hr_client.get(f"{APPRAISALS}999999/participants/1"),
        ("get", PARTICIPANT, "404", "ParticipantNotFound"): lambda: hr_client.get(f"{participants_url}/999999"),
        ("patch", PARTICIPANT, "400", "BadOperation"): patch(participant_url, [{"op": "replace", "path": "/status"}]),
        ("patch", PARTICIPANT, "400", "InvalidResult"): patch(
            participant_url, [{"op": "replace", "path": "/isMain", "value": "yes"}]
        ),
        ("patch", PARTICIPANT, "409", "TestFailed"): patch(
            participant_url, [{"op": "test", "path": "/status", "value": 2}]
        ),
        ("patch", PARTICIPANT, "409", "TargetMissing"): patch(
            participant_url, [{"op": "remove", "path": "/textHint"}, {"op": "remove", "path": "/textHint"}]
        ),
    }

    mismatches = []
    for (method, path, code, name), call in calls.items():
        response = call()
        expected = example(schema, method, path, code, name)
        if (response.status_code, response.json()) != (int(code), expected):
            mismatches.append((method, path, code, name, response.status_code, response.json()))

    assert mismatches == []
    participant.refresh_from_db()
    assert (participant.status, participant.text_hint) == (1, hint)  # refused patches changed nothing


def test_success_examples_have_the_answers_shape(schema: dict, hr_client: APIClient) -> None:
    created = hr_client.post(APPRAISALS, {"title": "Q2"}, format="json")
    appraisal_url = created["Location"]
    participant = hr_client.post(f"{appraisal_url}/participants", participant_body(), format="json")
    participant_url = participant["Location"]
    fetched = hr_client.get(participant_url)
    deleted = hr_client.delete(participant_url)

    shapes = [
        (created, example(schema, "post", APPRAISALS, "201", "Appraisal")),
        (hr_client.get(appraisal_url), example(schema, "get", APPRAISAL, "200", "Appraisal")),
        (participant, example(schema, "post", PARTICIPANTS, "201", "Created")),
        (fetched, example(schema, "get", PARTICIPANT, "200", "Participant")),
        (deleted, example(schema, "delete", PARTICIPANT, "200", "DeletedParticipant")),
    ]

    assert [set(response.json()) for response, _ in shapes] == [set(value) for _, value in shapes]
    assert deleted.json()["status"] == example(schema, "delete", PARTICIPANT, "200", "DeletedParticipant")["status"]
    assert AppraisalParticipant.objects.get().status == 5


def test_is_main_filter_is_documented_as_the_boolean_it_takes(schema: dict) -> None:
    parameters = {p["name"]: p for p in schema["paths"][PARTICIPANTS]["get"]["parameters"]}

    assert parameters["isMain"]["schema"] == {"type": "boolean"}
    assert "`true` or `false`" in parameters["isMain"]["description"]

"""PATCH with JSON Patch (RFC 6902): every op, failures, and the all-or-nothing rule, through the real API."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from appraisals.models import AppraisalParticipant, ParticipantStatus
from tests.appraisals.conftest import participant_url
from tests.appraisals.factories import AppraisalParticipantFactory, b64

pytestmark = pytest.mark.django_db

JSON_PATCH = "application/json-patch+json"
FEEDBACK = b64("Отзыв")
HINT = b64("Подсказка")
REASON = b64("Основание")

ORIGINAL = {
    "externalId": "P-1",
    "participantUserExternalId": "SU-1",
    "dateCompleted": "2018-06-30T21:00:00Z",
    "isMain": False,
    "textFeedback": FEEDBACK,
    "textHint": HINT,
    "participationReason": REASON,
    "status": 1,
    "requestDate": "2019-01-14T21:00:00Z",
    "requestLastDate": "2018-12-24T21:00:00Z",
}


@pytest.fixture
def subject(appraisal) -> AppraisalParticipant:  # type: ignore[no-untyped-def]
    return AppraisalParticipantFactory(
        appraisal=appraisal,
        external_id="P-1",
        participant_user_external_id="SU-1",
        date_completed=datetime(2018, 6, 30, 21, tzinfo=UTC),
        is_main=False,
        text_feedback=FEEDBACK,
        text_hint=HINT,
        participation_reason=REASON,
        status=ParticipantStatus.REQUESTED,
        request_date=datetime(2019, 1, 14, 21, tzinfo=UTC),
        request_last_date=datetime(2018, 12, 24, 21, tzinfo=UTC),
    )


def send(client: APIClient, participant: AppraisalParticipant, body: Any, content_type: str = JSON_PATCH):  # type: ignore[no-untyped-def]
    return client.patch(participant_url(participant), data=json.dumps(body), content_type=content_type)


def current(client: APIClient, participant: AppraisalParticipant) -> dict[str, Any]:
    data = client.get(participant_url(participant)).json()
    return {key: data[key] for key in ORIGINAL}


# (case id, patch, expected changes to ORIGINAL)
APPLIED = [
    (
        "replace (document example)",
        [{"op": "replace", "path": "/dateCompleted", "value": "2020-07-10T00:00:00+03:00"}],
        {"dateCompleted": "2020-07-09T21:00:00Z"},
    ),
    ("replace status", [{"op": "replace", "path": "/status", "value": 2}], {"status": 2}),
    ("add over an existing field", [{"op": "add", "path": "/isMain", "value": True}], {"isMain": True}),
    ("add a Base64 text", [{"op": "add", "path": "/textHint", "value": b64("Новая")}], {"textHint": b64("Новая")}),
    ("remove an optional text", [{"op": "remove", "path": "/textHint"}], {"textHint": None}),
    ("remove an optional date", [{"op": "remove", "path": "/requestDate"}], {"requestDate": None}),
    ("remove externalId", [{"op": "remove", "path": "/externalId"}], {"externalId": None}),
    (
        "remove then add back",
        [{"op": "remove", "path": "/textHint"}, {"op": "add", "path": "/textHint", "value": REASON}],
        {"textHint": REASON},
    ),
    (
        "move",
        [{"op": "move", "from": "/textHint", "path": "/textFeedback"}],
        {"textFeedback": HINT, "textHint": None},
    ),
    (
        "copy",
        [{"op": "copy", "from": "/textFeedback", "path": "/participationReason"}],
        {"participationReason": FEEDBACK},
    ),
    (
        "copy a date",
        [{"op": "copy", "from": "/requestDate", "path": "/requestLastDate"}],
        {"requestLastDate": "2019-01-14T21:00:00Z"},
    ),
    ("test alone", [{"op": "test", "path": "/status", "value": 1}], {}),
    (
        "test then replace",
        [{"op": "test", "path": "/status", "value": 1}, {"op": "replace", "path": "/status", "value": 4}],
        {"status": 4},
    ),
    (
        "test a datetime given with another offset",
        [{"op": "test", "path": "/dateCompleted", "value": "2018-07-01T00:00:00+03:00"}],
        {},
    ),
    (
        "test null",
        [{"op": "replace", "path": "/textHint", "value": None}, {"op": "test", "path": "/textHint", "value": None}],
        {"textHint": None},
    ),
    (
        "responseDate is an alias of requestLastDate",
        [{"op": "replace", "path": "/responseDate", "value": "2019-02-01T00:00:00+00:00"}],
        {"requestLastDate": "2019-02-01T00:00:00Z"},
    ),
    (
        "set an optional field to null",
        [{"op": "replace", "path": "/participationReason", "value": None}],
        {"participationReason": None},
    ),
    ("empty patch", [], {}),
    (
        "several ops in order",
        [
            {"op": "replace", "path": "/participantUserExternalId", "value": "SU-2"},
            {"op": "copy", "from": "/participantUserExternalId", "path": "/externalId"},
            {"op": "replace", "path": "/isMain", "value": True},
        ],
        {"participantUserExternalId": "SU-2", "externalId": "SU-2", "isMain": True},
    ),
]


@pytest.mark.parametrize(("patch", "changes"), [case[1:] for case in APPLIED], ids=[case[0] for case in APPLIED])
def test_patch_applies(hr_client: APIClient, subject: AppraisalParticipant, patch: list, changes: dict) -> None:
    response = send(hr_client, subject, patch)

    assert response.status_code == 200, response.content
    expected = {**ORIGINAL, **changes}
    assert {key: response.json()[key] for key in ORIGINAL} == expected
    assert current(hr_client, subject) == expected


# (case id, body, status, error body or the key expected in it)
REFUSED: list[tuple[str, Any, int, Any]] = [
    (
        "failed test",
        [{"op": "test", "path": "/status", "value": 2}],
        409,
        {"detail": 'Operation 0 ("test" /status) failed: the value differs; nothing was changed.'},
    ),
    (
        "test of a removed field",
        [{"op": "remove", "path": "/textHint"}, {"op": "test", "path": "/textHint", "value": None}],
        409,
        "detail",
    ),
    ("test with the wrong type", [{"op": "test", "path": "/isMain", "value": "false"}], 409, "detail"),
    (
        "failed test after a replace (all or nothing)",
        [{"op": "replace", "path": "/status", "value": 2}, {"op": "test", "path": "/textHint", "value": "other"}],
        409,
        "detail",
    ),
    (
        "target removed earlier in the patch",
        [{"op": "remove", "path": "/textHint"}, {"op": "remove", "path": "/textHint"}],
        409,
        {
            "detail": 'Operation 1 ("remove" /textHint) cannot be applied: its target does not exist at that point; '
            "nothing was changed."
        },
    ),
    ("unknown op", [{"op": "merge", "path": "/status", "value": 2}], 400, "patch"),
    ("op missing", [{"path": "/status", "value": 2}], 400, "patch"),
    ("op not a string", [{"op": ["replace"], "path": "/status", "value": 2}], 400, "patch"),
    ("path missing", [{"op": "replace", "value": 2}], 400, "patch"),
    ("read-only id", [{"op": "replace", "path": "/id", "value": 9}], 400, "patch"),
    ("read-only createdAt", [{"op": "remove", "path": "/createdAt"}], 400, "patch"),
    ("unknown field", [{"op": "add", "path": "/nickname", "value": "x"}], 400, "patch"),
    ("whole document", [{"op": "replace", "path": "", "value": {}}], 400, "patch"),
    ("nested path", [{"op": "add", "path": "/status/0", "value": 1}], 400, "patch"),
    ("path without a slash", [{"op": "replace", "path": "status", "value": 2}], 400, "patch"),
    ("bad from", [{"op": "copy", "from": "/id", "path": "/externalId"}], 400, "patch"),
    ("from missing", [{"op": "move", "path": "/externalId"}], 400, "patch"),
    ("value missing", [{"op": "replace", "path": "/status"}], 400, "patch"),
    ("operation not an object", ["replace"], 400, "patch"),
    ("non-array body: object", {"op": "replace", "path": "/status", "value": 2}, 400, "patch"),
    ("non-array body: string", "replace", 400, "patch"),
    ("non-array body: null", None, 400, "patch"),
    ("too many operations", [{"op": "test", "path": "/status", "value": 1}] * 101, 400, "patch"),
    (
        "remove a required field",
        [{"op": "remove", "path": "/participantUserExternalId"}],
        400,
        {"participantUserExternalId": ["This field is required."]},
    ),
    ("remove status", [{"op": "remove", "path": "/status"}], 400, {"status": ["This field is required."]}),
    ("required field to null", [{"op": "replace", "path": "/dateCompleted", "value": None}], 400, "dateCompleted"),
    ("move a required field away", [{"op": "move", "from": "/isMain", "path": "/textHint"}], 400, "isMain"),
    ("bad status", [{"op": "replace", "path": "/status", "value": 7}], 400, "status"),
    (
        "status 5 through PATCH",
        [{"op": "replace", "path": "/status", "value": 5}],
        400,
        {"status": ["Status 5 (deleted) is set only by DELETE."]},
    ),
    (
        "bad Base64",
        [{"op": "replace", "path": "/textFeedback", "value": "not base64"}],
        400,
        {"textFeedback": ["Enter a valid Base64-encoded UTF-8 string."]},
    ),
    (
        "copy a date into a Base64 field",
        [{"op": "copy", "from": "/dateCompleted", "path": "/textHint"}],
        400,
        "textHint",
    ),
    ("naive datetime", [{"op": "replace", "path": "/requestDate", "value": "2020-01-01T00:00:00"}], 400, "requestDate"),
    ("isMain not a boolean", [{"op": "replace", "path": "/isMain", "value": "yes"}], 400, "isMain"),
    (
        "valid op then a bad value (all or nothing)",
        [
            {"op": "replace", "path": "/status", "value": 2},
            {"op": "replace", "path": "/textFeedback", "value": "%%%"},
        ],
        400,
        "textFeedback",
    ),
    (
        "valid op then an unknown op (all or nothing)",
        [{"op": "replace", "path": "/status", "value": 2}, {"op": "frobnicate", "path": "/status"}],
        400,
        "patch",
    ),
]


@pytest.mark.parametrize(("body", "status", "error"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_patch_is_refused_and_changes_nothing(
    hr_client: APIClient, subject: AppraisalParticipant, body: Any, status: int, error: Any
) -> None:
    before = AppraisalParticipant.objects.values().get(pk=subject.pk)

    response = send(hr_client, subject, body)

    assert response.status_code == status, response.content
    if isinstance(error, dict):
        assert response.json() == error
    else:
        assert error in response.json()
    assert AppraisalParticipant.objects.values().get(pk=subject.pk) == before


def test_patch_errors_name_each_bad_operation(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    body = [
        {"op": "replace", "path": "/status", "value": 2},
        {"op": "merge", "path": "/status"},
        {"op": "replace", "path": "/id", "value": 1},
    ]

    response = send(hr_client, subject, body)

    assert response.status_code == 400
    messages = response.json()["patch"]
    assert messages[0] == 'Operation 1: "op" must be one of add, remove, replace, move, copy, test.'
    assert messages[1].startswith('Operation 2: "path" must name a field of the resource')


def test_a_json_array_sent_as_application_json_works_too(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    response = send(hr_client, subject, [{"op": "replace", "path": "/status", "value": 3}], "application/json")

    assert response.status_code == 200
    assert response.json()["status"] == 3


def test_other_media_types_are_415(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    response = send(hr_client, subject, [{"op": "replace", "path": "/status", "value": 3}], "text/plain")

    assert response.status_code == 415


def test_malformed_json_is_400(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    response = hr_client.patch(participant_url(subject), data="[{", content_type=JSON_PATCH)

    assert response.status_code == 400


def test_patch_to_another_participants_external_id_is_400(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    AppraisalParticipantFactory(external_id="TAKEN")

    response = send(hr_client, subject, [{"op": "replace", "path": "/externalId", "value": "TAKEN"}])

    assert response.status_code == 400
    assert response.json() == {"externalId": ["An appraisal participant with this externalId already exists."]}


def test_patch_on_a_deleted_participant_is_404(hr_client: APIClient, subject: AppraisalParticipant) -> None:
    hr_client.delete(participant_url(subject))

    response = send(hr_client, subject, [{"op": "replace", "path": "/status", "value": 2}])

    assert response.status_code == 404


# --- JSON Patch is a PATCH body only ----------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put"])
def test_post_and_put_refuse_a_json_patch_body(
    hr_client: APIClient, subject: AppraisalParticipant, method: str
) -> None:
    appraisal_url = f"/api/appraisals/{subject.appraisal_id}"
    urls = {
        "post": [f"{appraisal_url}/participants", "/api/appraisals/"],
        "put": [participant_url(subject), appraisal_url],
    }
    body = json.dumps({**ORIGINAL, "externalId": "P-2", "title": "Renamed"})

    answers = [getattr(hr_client, method)(url, data=body, content_type=JSON_PATCH) for url in urls[method]]

    assert [answer.status_code for answer in answers] == [415, 415]
    assert answers[0].json() == {"detail": f'Unsupported media type "{JSON_PATCH}" in request.'}
    assert current(hr_client, subject) == ORIGINAL
    assert AppraisalParticipant.objects.count() == 1
    assert hr_client.get(appraisal_url).json()["title"] != "Renamed"


@pytest.mark.parametrize("content_type", [JSON_PATCH, "application/json"])
def test_patch_takes_both_media_types(hr_client: APIClient, subject: AppraisalParticipant, content_type: str) -> None:
    response = send(hr_client, subject, [{"op": "replace", "path": "/status", "value": 2}], content_type)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == 2

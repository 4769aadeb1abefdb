"""Document 003 through the real HTTP API: create, read, list, full replacement, soft delete."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from tests.accounts.factories import UserFactory
from tests.appraisals.conftest import FEEDBACK, participant_body, participant_url
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory, b64
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db


def collection(appraisal: Appraisal) -> str:
    return f"/api/appraisals/{appraisal.pk}/participants"


# --- create -----------------------------------------------------------------------------------


def test_create_with_the_documents_example(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(collection(appraisal), participant_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id"}
    participant = AppraisalParticipant.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver/api/appraisals/{appraisal.pk}/participants/{participant.pk}"
    assert participant.appraisal_id == appraisal.pk
    assert participant.external_id == "externalID1104"
    assert participant.participant_user_external_id == "SU44617"
    assert participant.date_completed == datetime(2018, 6, 30, 21, tzinfo=UTC)
    assert participant.is_main is False
    assert participant.text_feedback == FEEDBACK
    assert participant.status == ParticipantStatus.NOT_REQUESTED
    assert participant.request_date == datetime(2019, 1, 14, 21, tzinfo=UTC)
    # responseDate (the example's name) is stored as requestLastDate (the field table's name)
    assert participant.request_last_date == datetime(2018, 12, 24, 21, tzinfo=UTC)


def test_location_header_points_at_the_created_participant(hr_client: APIClient, appraisal: Appraisal) -> None:
    location = hr_client.post(collection(appraisal), participant_body(), format="json")["Location"]

    response = hr_client.get(location)

    assert response.status_code == 200
    assert response.json()["participantUserExternalId"] == "SU44617"
    assert response.json()["requestLastDate"] == "2018-12-24T21:00:00Z"
    assert "responseDate" not in response.json()


def test_create_with_only_required_fields_leaves_optional_ones_empty(
    hr_client: APIClient, appraisal: Appraisal
) -> None:
    body = {"participantUserExternalId": "SU1", "dateCompleted": "2018-07-01T00:00:00Z", "isMain": True, "status": 1}

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 201, response.content
    data = hr_client.get(response["Location"]).json()
    for field in ("externalId", "textFeedback", "textHint", "participationReason", "requestDate", "requestLastDate"):
        assert data[field] is None, field


@pytest.mark.parametrize("field", ["participantUserExternalId", "dateCompleted", "isMain", "status"])
def test_create_without_a_required_field_is_400(hr_client: APIClient, appraisal: Appraisal, field: str) -> None:
    body = participant_body()
    del body[field]

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}
    assert not AppraisalParticipant.objects.exists()


@pytest.mark.parametrize("field", ["participantUserExternalId", "dateCompleted", "isMain", "status"])
def test_create_with_a_null_required_field_is_400(hr_client: APIClient, appraisal: Appraisal, field: str) -> None:
    response = hr_client.post(collection(appraisal), participant_body(**{field: None}), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_create_in_an_unknown_appraisal_is_404(hr_client: APIClient) -> None:
    response = hr_client.post("/api/appraisals/999999/participants", participant_body(), format="json")

    assert response.status_code == 404
    assert not AppraisalParticipant.objects.exists()


def test_trailing_slash_form_works_too(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(f"{collection(appraisal)}/", participant_body(), format="json")

    assert response.status_code == 201
    url = response["Location"]
    assert not url.endswith("/")
    assert hr_client.get(f"{url}/").status_code == 200
    assert hr_client.put(f"{url}/", participant_body(status=1), format="json").status_code == 200
    patch = [{"op": "replace", "path": "/status", "value": 2}]
    assert hr_client.patch(f"{url}/", patch, format="json").status_code == 200
    assert hr_client.get(f"{collection(appraisal)}/").json()["count"] == 1
    assert hr_client.delete(f"{url}/").status_code == 200


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["textFeedback", "textHint", "participationReason"])
@pytest.mark.parametrize("value", ["not base64!", "YWJj=", "abc", b64("x")[:-1], "//79"])
def test_base64_fields_must_decode(hr_client: APIClient, appraisal: Appraisal, field: str, value: str) -> None:
    response = hr_client.post(collection(appraisal), participant_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert response.json() == {field: ["Enter a valid Base64-encoded UTF-8 string."]}


@pytest.mark.parametrize("value", ["", None])
def test_base64_fields_may_be_empty(hr_client: APIClient, appraisal: Appraisal, value: str | None) -> None:
    response = hr_client.post(collection(appraisal), participant_body(textHint=value), format="json")

    assert response.status_code == 201
    assert AppraisalParticipant.objects.get().text_hint == value


@pytest.mark.parametrize("field", ["dateCompleted", "requestDate", "requestLastDate", "responseDate"])
@pytest.mark.parametrize("value", ["2018-07-01T00:00:00", "2018-07-01", "yesterday", "2018-13-01T00:00:00+03:00", 5])
def test_datetimes_need_iso_8601_with_an_offset(
    hr_client: APIClient, appraisal: Appraisal, field: str, value: object
) -> None:
    body = participant_body(**{field: value})
    if field == "requestLastDate":
        del body["responseDate"]

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_naive_datetime_gets_a_message_asking_for_an_offset(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(
        collection(appraisal), participant_body(dateCompleted="2018-07-01T00:00:00"), format="json"
    )

    assert response.json() == {
        "dateCompleted": ["Enter an ISO 8601 datetime with a UTC offset, e.g. 2018-07-01T00:00:00+03:00."]
    }


@pytest.mark.parametrize("value", [0, 6, "1", 1.5, True, "requested"])
def test_status_must_be_one_of_the_documents_integers(
    hr_client: APIClient, appraisal: Appraisal, value: object
) -> None:
    response = hr_client.post(collection(appraisal), participant_body(status=value), format="json")

    assert response.status_code == 400
    assert "status" in response.json()


def test_status_5_is_reserved_for_delete(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(collection(appraisal), participant_body(status=5), format="json")

    assert response.status_code == 400
    assert response.json() == {"status": ["Status 5 (deleted) is set only by DELETE."]}


@pytest.mark.parametrize("value", ["true", 1, 0, "no"])
def test_is_main_must_be_a_json_boolean(hr_client: APIClient, appraisal: Appraisal, value: object) -> None:
    response = hr_client.post(collection(appraisal), participant_body(isMain=value), format="json")

    assert response.status_code == 400
    assert response.json() == {"isMain": ["Must be a valid boolean."]}


def test_request_last_date_and_response_date_must_agree(hr_client: APIClient, appraisal: Appraisal) -> None:
    body = participant_body(requestLastDate="2018-12-26T00:00:00+03:00")

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 400
    assert "responseDate" in response.json()


def test_request_last_date_and_response_date_may_both_carry_the_same_moment(
    hr_client: APIClient, appraisal: Appraisal
) -> None:
    body = participant_body(requestLastDate="2018-12-24T21:00:00Z")

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 201
    assert AppraisalParticipant.objects.get().request_last_date == datetime(2018, 12, 24, 21, tzinfo=UTC)


def test_request_last_date_is_accepted_under_its_own_name(hr_client: APIClient, appraisal: Appraisal) -> None:
    body = participant_body(requestLastDate="2018-12-25T00:00:00+03:00")
    del body["responseDate"]

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 201
    assert AppraisalParticipant.objects.get().request_last_date == datetime(2018, 12, 24, 21, tzinfo=UTC)


def test_blank_participant_user_external_id_is_400(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(collection(appraisal), participant_body(participantUserExternalId="  "), format="json")

    assert response.status_code == 400
    assert response.json() == {"participantUserExternalId": ["This field may not be blank."]}


@pytest.mark.parametrize("body", [[], "text", 5])
def test_a_body_that_is_not_an_object_is_400(hr_client: APIClient, appraisal: Appraisal, body: object) -> None:
    assert hr_client.post(collection(appraisal), body, format="json").status_code == 400


def test_malformed_json_is_400(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(collection(appraisal), "{not json", content_type="application/json")

    assert response.status_code == 400


def test_duplicate_external_id_is_400_with_a_clear_message(hr_client: APIClient, appraisal: Appraisal) -> None:
    AppraisalParticipantFactory(external_id="externalID1104", appraisal=AppraisalFactory())

    response = hr_client.post(collection(appraisal), participant_body(), format="json")

    assert response.status_code == 400
    assert response.json() == {"externalId": ["An appraisal participant with this externalId already exists."]}


def test_participants_without_external_id_do_not_collide(hr_client: APIClient, appraisal: Appraisal) -> None:
    for value in (None, "", None):
        response = hr_client.post(collection(appraisal), participant_body(externalId=value), format="json")
        assert response.status_code == 201
    assert list(AppraisalParticipant.objects.values_list("external_id", flat=True)) == [None, None, None]


def test_a_deleted_participants_external_id_can_be_reused(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    assert hr_client.delete(participant_url(participant)).status_code == 200

    body = participant_body(externalId=participant.external_id)
    response = hr_client.post(collection(participant.appraisal), body, format="json")

    assert response.status_code == 201
    assert AppraisalParticipant.objects.filter(external_id=participant.external_id).count() == 2


# --- read and list ----------------------------------------------------------------------------


def test_retrieve_returns_the_camel_case_representation(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    response = hr_client.get(participant_url(participant))

    assert response.status_code == 200
    assert response.json() == {
        "id": participant.pk,
        "appraisalId": participant.appraisal_id,
        "externalId": participant.external_id,
        "participantUserExternalId": participant.participant_user_external_id,
        "dateCompleted": "2018-06-30T21:00:00Z",
        "isMain": False,
        "textFeedback": participant.text_feedback,
        "textHint": participant.text_hint,
        "participationReason": participant.participation_reason,
        "status": 1,
        "requestDate": "2019-01-14T21:00:00Z",
        "requestLastDate": "2018-12-24T21:00:00Z",
        "createdAt": response.json()["createdAt"],
        "updatedAt": response.json()["updatedAt"],
    }


def test_list_is_paginated_and_hides_deleted_and_other_appraisals(hr_client: APIClient, appraisal: Appraisal) -> None:
    visible = [AppraisalParticipantFactory(appraisal=appraisal) for _ in range(3)]
    AppraisalParticipantFactory(appraisal=appraisal, status=ParticipantStatus.DELETED)
    AppraisalParticipantFactory()  # another appraisal

    response = hr_client.get(collection(appraisal), {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [p["id"] for p in body["results"]] == [p.pk for p in visible[:2]]
    assert body["next"] is not None
    second = hr_client.get(collection(appraisal), {"page_size": 2, "page": 2}).json()
    assert [p["id"] for p in second["results"]] == [visible[2].pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": 2}, {"provided-main"}),
        ({"status": 1}, {"requested", "requested-main"}),
        ({"isMain": "true"}, {"provided-main", "requested-main"}),
        ({"isMain": "false"}, {"requested", "unable"}),
        ({"participantUserExternalId": "unable"}, {"unable"}),
        ({"status": 1, "isMain": "true"}, {"requested-main"}),
    ],
)
def test_list_filters(hr_client: APIClient, appraisal: Appraisal, query: dict, expected: set[str]) -> None:
    for user_id, status, is_main in [
        ("requested", 1, False),
        ("requested-main", 1, True),
        ("provided-main", 2, True),
        ("unable", 4, False),
        ("deleted", 5, True),
    ]:
        AppraisalParticipantFactory(
            appraisal=appraisal, participant_user_external_id=user_id, status=status, is_main=is_main
        )

    response = hr_client.get(collection(appraisal), query)

    assert response.status_code == 200
    assert {p["participantUserExternalId"] for p in response.json()["results"]} == expected


@pytest.mark.parametrize("query", [{"status": 5}, {"status": "x"}, {"isMain": "maybe"}, {"isMain": "2"}])
def test_list_rejects_bad_filters(hr_client: APIClient, appraisal: Appraisal, query: dict) -> None:
    assert hr_client.get(collection(appraisal), query).status_code == 400


def test_list_of_an_unknown_appraisal_is_404(hr_client: APIClient) -> None:
    assert hr_client.get("/api/appraisals/999999/participants").status_code == 404


def test_list_query_count_is_the_same_for_1_and_30_rows(
    hr_client: APIClient, appraisal: Appraisal, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    AppraisalParticipantFactory(appraisal=appraisal)
    # auth (session + user), the user's permissions and group permissions, appraisal exists, count, page
    with django_assert_num_queries(6):
        assert hr_client.get(collection(appraisal)).json()["count"] == 1
    AppraisalParticipantFactory.create_batch(29, appraisal=appraisal)
    with django_assert_num_queries(6):
        response = hr_client.get(collection(appraisal), {"page_size": 30})
    assert len(response.json()["results"]) == 30


# --- full replacement (PUT) -------------------------------------------------------------------


def test_put_replaces_the_whole_participant(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    body = {
        "participantUserExternalId": "SU-new",
        "dateCompleted": "2020-07-10T00:00:00+03:00",
        "isMain": True,
        "status": 2,
        "textFeedback": b64("новый отзыв"),
    }

    response = hr_client.put(participant_url(participant), body, format="json")

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["participantUserExternalId"] == "SU-new"
    assert data["dateCompleted"] == "2020-07-09T21:00:00Z"
    assert data["isMain"] is True
    assert data["status"] == 2
    assert data["textFeedback"] == b64("новый отзыв")
    # optional fields left out became empty
    for field in ("externalId", "textHint", "participationReason", "requestDate", "requestLastDate"):
        assert data[field] is None, field
    participant.refresh_from_db()
    assert participant.external_id is None
    assert participant.text_hint is None
    assert participant.request_last_date is None


@pytest.mark.parametrize("field", ["participantUserExternalId", "dateCompleted", "isMain", "status"])
def test_put_without_a_required_field_is_400_and_changes_nothing(hr_client: APIClient, participant, field: str) -> None:  # type: ignore[no-untyped-def]
    body = participant_body(status=2)
    del body[field]

    response = hr_client.put(participant_url(participant), body, format="json")

    assert response.status_code == 400
    assert response.json() == {field: ["This field is required."]}
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REQUESTED


def test_put_may_keep_its_own_external_id(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    body = participant_body(externalId=participant.external_id)

    assert hr_client.put(participant_url(participant), body, format="json").status_code == 200


def test_put_with_another_participants_external_id_is_400(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    other = AppraisalParticipantFactory(appraisal=participant.appraisal)

    response = hr_client.put(
        participant_url(participant), participant_body(externalId=other.external_id), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"externalId": ["An appraisal participant with this externalId already exists."]}


def test_put_on_an_unknown_appraisal_is_404(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/appraisals/999999/participants/{participant.pk}"
    assert hr_client.put(url, participant_body(), format="json").status_code == 404


# --- not found --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_unknown_or_foreign_or_deleted_participant_is_404(hr_client: APIClient, participant, method: str) -> None:  # type: ignore[no-untyped-def]
    other_appraisal = AppraisalFactory()
    deleted = AppraisalParticipantFactory(appraisal=participant.appraisal, status=ParticipantStatus.DELETED)
    urls = [
        f"/api/appraisals/{participant.appraisal_id}/participants/999999",  # unknown participant
        f"/api/appraisals/999999/participants/{participant.pk}",  # unknown appraisal
        f"/api/appraisals/{other_appraisal.pk}/participants/{participant.pk}",  # participant of another appraisal
        participant_url(deleted),
        f"/api/appraisals/{participant.appraisal_id}/participants/abc",
        f"/api/appraisals/{participant.appraisal_id}/participants/1234567890123456789012",
    ]
    bodies = {"put": participant_body(), "patch": [{"op": "replace", "path": "/status", "value": 2}]}
    for url in urls:
        response = getattr(hr_client, method)(url, bodies.get(method), format="json")
        assert response.status_code == 404, url
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REQUESTED


# --- delete -----------------------------------------------------------------------------------


def test_delete_keeps_the_row_with_status_5_and_hides_it(hr_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    url = participant_url(participant)

    response = hr_client.delete(url)

    assert response.status_code == 200
    assert response.json()["status"] == 5
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.DELETED
    assert participant.text_feedback is not None  # nothing is lost
    assert hr_client.get(url).status_code == 404
    assert hr_client.delete(url).status_code == 404
    assert hr_client.get(collection(participant.appraisal)).json()["count"] == 0


# --- authentication and permissions -----------------------------------------------------------


def test_no_token_is_401(api_client: APIClient, participant) -> None:  # type: ignore[no-untyped-def]
    assert api_client.get(participant_url(participant)).status_code == 401
    assert api_client.post(collection(participant.appraisal), participant_body(), format="json").status_code == 401


def test_a_confirmed_user_outside_the_group_is_403_everywhere(participant) -> None:  # type: ignore[no-untyped-def]
    client = client_for(UserFactory())
    url = participant_url(participant)
    patch = [{"op": "replace", "path": "/status", "value": 2}]
    responses = [
        client.get(collection(participant.appraisal)),
        client.post(collection(participant.appraisal), participant_body(), format="json"),
        client.get(url),
        client.put(url, participant_body(), format="json"),
        client.patch(url, patch, format="json"),
        client.delete(url),
    ]

    assert [r.status_code for r in responses] == [403] * 6
    assert responses[0].json() == {"detail": "You do not have permission to perform this action."}
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REQUESTED


def test_an_unconfirmed_user_in_the_group_is_403(participant) -> None:  # type: ignore[no-untyped-def]
    from tests.appraisals.conftest import hr_user

    client = client_for(hr_user(confirmed_email=False))

    assert client.get(participant_url(participant)).status_code == 403


def test_reading_needs_the_view_permission(participant) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_appraisalparticipant"))
    client = client_for(user)

    assert client.get(participant_url(participant)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_appraisalparticipant"))
    assert client_for(user).get(participant_url(participant)).status_code == 200


def test_each_write_needs_its_own_permission(participant) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_appraisalparticipant"))
    client = client_for(user)
    url = participant_url(participant)

    assert client.post(collection(participant.appraisal), participant_body(), format="json").status_code == 403
    assert client.put(url, participant_body(), format="json").status_code == 403
    assert client.delete(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="delete_appraisalparticipant"))
    assert client_for(user).delete(url).status_code == 200


def test_an_oversized_body_is_413_not_500(hr_client: APIClient, appraisal: Appraisal) -> None:
    body = participant_body(textFeedback=b64("x" * 3_000_000))

    response = hr_client.post(collection(appraisal), body, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_base64_texts_have_a_length_limit(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.post(collection(appraisal), participant_body(textHint=b64("x" * 150_003)), format="json")

    assert response.status_code == 400
    assert "textHint" in response.json()

"""A multipart body is a form: one that never names its boundary is a 400, not an empty form that changes nothing."""

import pytest

from tests.accounts.factories import UserFactory
from tests.support.auth import bearer

pytestmark = pytest.mark.django_db

BOUNDARY = "a222103b9b30b1f9e8be6882ecedb1d2"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def me(api_client):  # type: ignore[no-untyped-def]
    user = UserFactory(first_name="Anna")
    api_client.credentials(HTTP_AUTHORIZATION=bearer(user))
    return api_client, user


@pytest.mark.parametrize(
    "body",
    [f"[]--{BOUNDARY}--\r\n", f"--{BOUNDARY}\r\n[]--{BOUNDARY}--\r\n", f"--{BOUNDARY}\r\n\r\nx\r\n--{BOUNDARY}--\r\n"],
    ids=["no boundary", "a part with no headers", "a part with no name"],
)
def test_a_body_that_is_no_form_is_a_parse_error(me, body) -> None:
    client, user = me

    response = client.generic("PATCH", "/api/auth/me/", body.encode(), CONTENT_TYPE)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Multipart form parse error")
    user.refresh_from_db()
    assert user.first_name == "Anna"


def test_a_form_with_parts_is_read(me) -> None:
    client, user = me
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="first_name"\r\n\r\nMaria\r\n--{BOUNDARY}--\r\n'
    ).encode()

    response = client.generic("PATCH", "/api/auth/me/", body, CONTENT_TYPE)

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.first_name == "Maria"


def test_an_empty_form_is_an_empty_change(me) -> None:
    client, _ = me

    response = client.generic("PATCH", "/api/auth/me/", f"--{BOUNDARY}--\r\n".encode(), CONTENT_TYPE)

    assert response.status_code == 200, response.content

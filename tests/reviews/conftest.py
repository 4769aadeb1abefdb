import pytest
from rest_framework.test import APIClient

from tests.conftest import login


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """An API client logged in (through the real token endpoint) as the given user."""

    def make(user):  # type: ignore[no-untyped-def]
        client = APIClient()
        login(client, user)
        return client

    return make

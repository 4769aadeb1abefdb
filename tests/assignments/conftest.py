import pytest
from rest_framework.test import APIClient

from accounts.models import User
from assignments.permissions import ensure_dispatchers_group
from tests.accounts.factories import UserFactory
from tests.conftest import login


@pytest.fixture
def dispatcher(db) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="dispatcher-1")
    user.groups.add(ensure_dispatchers_group())
    return user


@pytest.fixture
def dispatcher_client(dispatcher: User) -> APIClient:
    client = APIClient()
    login(client, dispatcher)
    return client


@pytest.fixture
def executor(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="executor-1")


@pytest.fixture
def executor_client(executor: User) -> APIClient:
    client = APIClient()
    login(client, executor)
    return client

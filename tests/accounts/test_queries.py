"""My sessions (accounts/queries.py) answer the bytes DRF's own path does: `selectors.session_list`, the
paginator, SessionOutputSerializer and DRF's JSONRenderer, on the same data."""

import pytest
from django.utils import timezone
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from accounts.api import views
from accounts.models import UserSession
from accounts.services import session_start
from tests.accounts.factories import UserFactory
from tests.conftest import login

pytestmark = pytest.mark.django_db


class DrfSessionListView(views.SessionListView):
    renderer_classes = [JSONRenderer]
    list = ListAPIView.list  # the queryset and the serializer


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page_size": 2},
        {"page": 2, "page_size": 2},
        {"page": 2, "page_size": 1},
        {"page": 9},
        {"page": "last", "page_size": 1},
        {"page": "0"},
        {"page": "1.0"},
        {"page": "x"},
        {"page_size": 0},
        {"page_size": 500},
    ],
)
def test_my_sessions_are_drfs_bytes(params: dict) -> None:
    user = UserFactory()
    session_start(user=user, user_agent="Firefox «é»", ip_address="2001:db8::1")
    revoked = session_start(user=user, user_agent="", ip_address=None)
    UserSession.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    session_start(user=UserFactory(), user_agent="another's", ip_address="10.0.0.1")
    api = APIClient()
    tokens = login(api, user)  # the current session
    url = "/api/auth/sessions/"

    response = api.get(url, params)
    request = APIRequestFactory().get(url, params, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    expected = DrfSessionListView.as_view()(request)
    expected.render()

    assert response.status_code == expected.status_code
    assert response.content == expected.content
    if "page" not in params and response.status_code == 200:  # the current session is the newest
        assert b'"current":true' in response.content

"""HasOrganizationRight on any view: declared per HTTP method, any contract, the rights left on the request."""

import pytest
from django.test import override_settings
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from common.exceptions import DOCUMENT_001, PRODUCT
from common.permissions import IsConfirmedUser
from organizations.permissions import HasOrganizationRight, OrganizationRequest, Right, parse_organization_id
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, role
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db


class OrderLikeView(APIView):
    """Like document 001's order views: the organization comes from the query, bodies are document 001's."""

    error_contract = DOCUMENT_001
    permission_classes = (IsConfirmedUser, HasOrganizationRight)
    organization_rights = {"GET": (Right.VIEW, Right.CREATE), "POST": Right.CREATE}

    def get_rights_organization_id(self, request: Request) -> int | None:
        return parse_organization_id(request.query_params.get("organization"))

    def get(self, request: OrganizationRequest) -> Response:
        rights = request.organization_rights
        return Response({"member": rights.member, "creator": rights.creator, "create": rights.create})

    def post(self, request: OrganizationRequest) -> Response:
        return Response(status=201)

    def delete(self, request: OrganizationRequest) -> Response:
        return Response(status=204)  # never reached: DELETE is not declared


class UrlScopedView(APIView):
    error_contract = PRODUCT
    permission_classes = (IsConfirmedUser, HasOrganizationRight)
    organization_rights = {"GET": Right.MEMBER}

    def get(self, request: OrganizationRequest, organization_id: int) -> Response:
        return Response({"member": request.organization_rights.member})


urlpatterns = [
    path("probe/", OrderLikeView.as_view()),
    path("probe/<int:organization_id>/", UrlScopedView.as_view()),
    path("", include("config.urls")),
]

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


@override_settings(ROOT_URLCONF=__name__)
def test_a_right_of_the_view_s_organization_is_required_and_left_on_the_request() -> None:
    organization = OrganizationFactory()
    employee = MembershipFactory(organization=organization, role=role("employee")).user
    url = f"/probe/?organization={organization.pk}"

    # any of the tuple's rights will do, and the view reads the requester's rights from the request
    response = client_for(employee).get(url)
    assert response.status_code == 200
    assert response.json() == {"member": True, "creator": False, "create": False}
    assert client_for(organization.creator).get(url).json() == {"member": True, "creator": True, "create": True}
    # HEAD follows GET
    assert client_for(employee).head(url).status_code == 200

    # a missing right is a 403 in the view's contract
    response = client_for(employee).post(url)
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert client_for(organization.creator).post(url).status_code == 201

    # a method the view handles but does not declare is refused
    assert client_for(organization.creator).delete(url).status_code == 403


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("query", ["", "?organization=abc", "?organization=0", "?organization=999999"])
def test_no_organization_means_no_rights(query: str) -> None:
    response = client_for(UserFactory()).get(f"/probe/{query}")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


@override_settings(ROOT_URLCONF=__name__)
def test_by_default_the_organization_is_the_url_s() -> None:
    organization = OrganizationFactory()
    member = MembershipFactory(organization=organization, role=role("nothing", can_view=False)).user
    # membership alone is the MEMBER right, whatever the role grants
    assert client_for(member).get(f"/probe/{organization.pk}/").json() == {"member": True}
    response = client_for(UserFactory()).get(f"/probe/{organization.pk}/")
    assert response.status_code == 403
    assert response.json() == {**FORBIDDEN, "code": "permission_denied"}  # this view's contract
    assert APIClient().get(f"/probe/{organization.pk}/").status_code == 401

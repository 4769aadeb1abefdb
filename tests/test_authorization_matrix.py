"""Authorization matrix: every operation of the OpenAPI schema × every kind of actor → the expected status.

`MATRIX` is the table: one line per (method, schema path) with the status each actor gets, in `ACTORS` order
(`NA` where the actor cannot exist for the operation). `CALLS` says how to call each line: `holder` names the user
who holds the right, `lacking` the nearest user who lacks it, `url` and `body` build the request from the `world`
(a lazily built set of factory objects, fresh for every test). To add an operation, add a line to both.
Every actor sends the same request, so only who they are explains a refusal:

- anonymous: no token;
- unconfirmed: the right holder, with an unconfirmed email;
- revoked: the right holder, with a token whose session was revoked from another session (the "log out that
  device" flow: `DELETE /api/auth/sessions/{id}/`);
- outsider: a confirmed user with no relation to the object;
- member_without_right: the closest relation without the right (a member whose role holds every right but
  the one needed, a user holding every permission of the app but the one needed, the other party of a response);
- right_holder: owner, creator or right holder (2xx with a valid body);
- staff: `is_staff` without groups; the API gives staff nothing (they work in the admin), so they fare like
  an outsider.

A refused request must change nothing (a snapshot of the tables before and after), and refusals carry the
product's bodies: 401 "credentials were not provided", 403 document 001's "You do not have permission...".
A new operation in the schema without a line (or a justified `PUBLIC` entry) fails `test_every_operation_...`;
a new list without an isolation case (or a `SHARED_LISTS` entry) fails `test_every_list_...`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import EmailConfirmation, User, UserSession
from accounts.services import session_start
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from assignments.models import AssignedOrder, AssignedOrderHistory, AssignedOrderStatus
from events.models import Event, Notification, WebhookDelivery, WebhookEndpoint
from orders.models import Order
from organizations.models import Client, Membership, Organization, Service
from partner.fake_partner import FakePartner
from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange
from partner.permissions import PARTNER_API_PERMISSION
from partner.services import OrderRequest, partner_order_place
from reviews.models import (
    ExecutorProfile,
    MarketplaceOrder,
    MarketplaceOrderChange,
    OrderReview,
    OrderReviewStatusChange,
    ReviewStatus,
)
from tests.accounts.factories import UserFactory
from tests.appraisals.conftest import participant_body
from tests.appraisals.factories import AppraisalParticipantFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.partner.conftest import order_body
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory, review_in_status
from tests.support import openapi
from tests.support.world import FactoryWorld

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
# The product's own endpoints (not a document's paths) add a stable code to every error body.
PRODUCT_PREFIXES = ("/api/auth/", "/api/organizations/", "/api/assignments", "/api/webhooks/", "/api/notifications/")


def refusal(path: str, body: dict[str, str]) -> dict[str, str]:
    """The 401/403 body `path` answers: document 001's, plus `code` on the product's own endpoints."""
    if urlsplit(path).path.startswith(PRODUCT_PREFIXES):
        return {**body, "code": "permission_denied" if body is FORBIDDEN else "not_authenticated"}
    return body


ORDER_RIGHTS = ("view", "create", "change", "delete")

ACTORS = ("anonymous", "unconfirmed", "revoked", "outsider", "member_without_right", "right_holder", "staff")
#: The actor cannot exist for this operation: it needs nothing beyond an account (or is about the requester's
#: own data), so there is no right to lack. No test is generated for it.
NA = None


class World(FactoryWorld):
    """The objects a row needs, built by factories on first use (each test builds only what its row touches): those
    of tests/support/world.py (org, service, client, review, dispatcher, assigned, hr, appraisal, partner_service)
    and these."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    # --- people with no relation to anything ---------------------------------------------------------------
    @cached_property
    def outsider(self) -> User:
        return UserFactory()

    @cached_property
    def staff(self) -> User:
        return UserFactory(is_staff=True)

    @cached_property
    def someone(self) -> User:
        """A confirmed user acting on their own account (the auth endpoints)."""
        return UserFactory()

    @cached_property
    def someones_other_session(self) -> UserSession:
        return session_start(user=self.someone, user_agent="old phone", ip_address="127.0.0.1")

    # --- organizations and their orders (document 001) -------------------------------------------------------
    @cached_property
    def employee(self) -> Membership:
        return MembershipFactory(organization=self.org, user=UserFactory(), role=role("employee"))

    @cached_property
    def order(self) -> Order:
        return OrderFactory(organization=self.org, service=self.service, client=self.client)

    def member_without(self, *rights: str) -> User:
        """A member of `org` whose role holds every order right except `rights` (no right at all when empty)."""
        lacks = rights or ORDER_RIGHTS
        grants = {f"can_{right}": right not in lacks for right in ORDER_RIGHTS}
        user = UserFactory()
        MembershipFactory(organization=self.org, user=user, role=role(f"without {'/'.join(lacks)}", **grants))
        return user

    # --- marketplace (document 000) --------------------------------------------------------------------------
    @cached_property
    def fellow_review(self) -> OrderReview:
        """Another executor's response to the same order."""
        return OrderReviewFactory(order=self.review.order)

    @cached_property
    def taken(self) -> OrderReview:
        """An accepted response: its order has an executor, so nobody else can open it any more."""
        return review_in_status(ReviewStatus.ACCEPTED)

    # --- assignments (document 002) --------------------------------------------------------------------------
    @cached_property
    def courier(self) -> User:
        """An executor with an assigned order; their dispatch id is their user id."""
        user = UserFactory()
        AssignedOrderFactory(executor_id=str(user.pk))
        return user

    @cached_property
    def acquired(self) -> AssignedOrder:
        return AssignedOrderFactory(status=AssignedOrderStatus.ACQUIRED, acquired_at=timezone.now())

    # --- appraisals (document 003) ---------------------------------------------------------------------------
    @cached_property
    def participant(self) -> AppraisalParticipant:
        return AppraisalParticipantFactory()

    # --- partner (document 004) ------------------------------------------------------------------------------
    @cached_property
    def fake_partner(self) -> FakePartner:
        """The partner's API over real HTTP on loopback (the `fake_partner` fixture), started on first use."""
        return self._request.getfixturevalue("fake_partner")

    @cached_property
    def partner_order(self) -> PartnerOrder:
        """An order placed with the (fake) partner through the placing service."""
        assert self.fake_partner
        return partner_order_place(
            request=OrderRequest(
                order_id=501,
                their_pharmacy_id="1086",
                order_type=2,
                client={"name": "Test", "phone": "79997772211", "email": ""},
                items=[{"their_id": "58", "price": "10.00", "count": 1}],
            )
        )

    def new_partner_order_id(self) -> int:
        """An order id we never placed, with the fake partner up to take it."""
        assert self.fake_partner
        return 502

    # --- webhooks and notifications ---------------------------------------------------------------------------
    @cached_property
    def webhook(self) -> WebhookEndpoint:
        """An endpoint of the organization's creator for its orders."""
        return _webhook_of(self.org.creator, organization=self.org)

    @cached_property
    def delivery(self) -> WebhookDelivery:
        return _delivery_to(self.webhook)

    @cached_property
    def notification(self) -> Notification:
        return _notification_of(self.someone)

    # --- users holding every permission of an app but one ----------------------------------------------------
    def permissions_without(self, app_label: str, missing: str) -> User:
        user = UserFactory()
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label=app_label).exclude(codename=missing.split(".")[-1])
        )
        return user


Pick = Callable[[World], User]


def _webhook_of(owner: User, *, organization: Organization | None = None) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        owner=owner,
        scope="organization" if organization else "user",
        organization=organization,
        url="http://127.0.0.1:9/hook",
        event_types=["organization_order.created"] if organization else ["review.accepted"],
        secret="whsec_test",
    )


def _delivery_to(endpoint: WebhookEndpoint) -> WebhookDelivery:
    event = Event.objects.create(
        type="organization_order.created", domain="organization", object_type="x", object_id="1"
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, object_key="x:1", occurred_at=event.occurred_at, deadline_at=timezone.now()
    )


def _notification_of(user: User) -> Notification:
    event = Event.objects.create(type="review.accepted", domain="marketplace", object_type="review", object_id="1")
    return Notification.objects.create(user=user, event=event, kind=event.type, text="Accepted.")


def _org(w: World, tail: str = "") -> str:
    return f"/api/organizations/{w.org.pk}/{tail}"


def _order_change(w: World) -> dict[str, Any]:
    return {"organization": w.org.pk, "description": "Changed descr", "executor": w.org.creator_id}


def _assign(w: World) -> str:
    return f"/orders/assign?order_id=matrix-new&executor_id={w.outsider.pk}&zone_id=zone-south"


def _participant(w: World) -> str:
    return f"/api/appraisals/{w.participant.appraisal_id}/participants/{w.participant.pk}"


def _creator(w: World) -> User:
    return w.org.creator


def _customer(w: World) -> User:
    return w.review.order.creator


def _executor(w: World) -> User:
    return w.review.executor


def _dispatcher(w: World) -> User:
    return w.dispatcher


def _hr(w: World) -> User:
    return w.hr


def _partner(w: World) -> User:
    return w.partner_service


def _someone(w: World) -> User:
    return w.someone


def _no_perm(app_label: str, codename: str) -> Pick:
    return lambda w: w.permissions_without(app_label, codename)


def _member_without(*rights: str) -> Pick:
    return lambda w: w.member_without(*rights)


# The table: the status each actor gets, columns in ACTORS order (anonymous, unconfirmed, revoked, outsider,
# member_without_right, right_holder, staff). NA: the actor cannot exist for the operation.
# fmt: off
MATRIX: dict[tuple[str, str], tuple[int | None, ...]] = {
    #                                                                          anon unc  rev  out  lack hold staff
    # accounts: my own profile and sessions (unconfirmed users may use /api/auth/*)
    ("GET", "/api/auth/me/"):                                                  (401, 200, 403, 200,  NA, 200, 200),
    ("PATCH", "/api/auth/me/"):                                                (401, 200, 403, 200,  NA, 200, 200),
    ("GET", "/api/auth/sessions/"):                                            (401, 200, 403, 200,  NA, 200, 200),
    ("DELETE", "/api/auth/sessions/{session_id}/"):                            (401, 204, 403, 404,  NA, 204, 404),
    ("POST", "/api/auth/logout/"):                                             (401, 204, 403, 204,  NA, 204, 204),
    # organizations (001): members read (a role with no right at all too), holders of the right write
    ("GET", "/api/organizations/"):                                            (401, 403, 403, 200,  NA, 200, 200),
    ("POST", "/api/organizations/"):                                           (401, 403, 403, 201,  NA, 201, 201),
    ("GET", "/api/organizations/roles/"):                                      (401, 403, 403, 200,  NA, 200, 200),
    ("GET", "/api/organizations/{organization_id}/"):                          (401, 403, 403, 403, 200, 200, 403),
    ("PATCH", "/api/organizations/{organization_id}/"):                        (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/organizations/{organization_id}/members/"):                  (401, 403, 403, 403, 200, 200, 403),
    ("POST", "/api/organizations/{organization_id}/members/"):                 (401, 403, 403, 403, 403, 201, 403),
    ("PATCH", "/api/organizations/{organization_id}/members/{user_id}/"):      (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/api/organizations/{organization_id}/members/{user_id}/"):     (401, 403, 403, 403, 403, 204, 403),
    ("GET", "/api/organizations/{organization_id}/services/"):                 (401, 403, 403, 403, 200, 200, 403),
    ("POST", "/api/organizations/{organization_id}/services/"):                (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/organizations/{organization_id}/services/{service_id}/"):    (401, 403, 403, 403, 200, 200, 403),
    ("PATCH", "/api/organizations/{organization_id}/services/{service_id}/"):  (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/api/organizations/{organization_id}/services/{service_id}/"): (401, 403, 403, 403, 403, 204, 403),
    ("GET", "/api/organizations/{organization_id}/clients/"):                  (401, 403, 403, 403, 200, 200, 403),
    ("POST", "/api/organizations/{organization_id}/clients/"):                 (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/organizations/{organization_id}/clients/{client_id}/"):      (401, 403, 403, 403, 200, 200, 403),
    ("PATCH", "/api/organizations/{organization_id}/clients/{client_id}/"):    (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/api/organizations/{organization_id}/clients/{client_id}/"):   (401, 403, 403, 403, 403, 204, 403),
    # organization orders (001): the view / create / change / delete right in the order's organization
    ("POST", "/orders/order-c/"):                                              (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/orders/order-l/{organization_id}/"):                             (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/orders/order-creator-l/{organization_id}/"):                     (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/orders/order-r/{id}/"):                                          (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/orders/order-r/{id}/{organization_id}/"):                        (401, 403, 403, 403, 403, 200, 403),
    ("PUT", "/orders/order-ud/{id}/"):                                         (401, 403, 403, 403, 403, 200, 403),
    ("PATCH", "/orders/order-ud/{id}/"):                                       (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/orders/order-ud/{id}/"):                                      (401, 403, 403, 403, 403, 204, 403),
    # marketplace (000): the customer and the executor of a response; {id}/ is a taken order (an open one
    # is public to confirmed users: their first view creates their response)
    ("GET", "/api_v2/order/"):                                                 (401, 403, 403, 200,  NA, 200, 200),
    ("POST", "/api_v2/order/"):                                                (401, 403, 403, 201,  NA, 201, 201),
    ("GET", "/api_v2/order/mine/"):                                            (401, 403, 403, 200,  NA, 200, 200),
    ("PATCH", "/api_v2/order/mine/{id}/"):                                      (401, 403, 403, 404, 404, 200, 404),
    ("POST", "/api_v2/order/review/{id}/withdraw/"):                           (401, 403, 403, 404, 404, 200, 404),
    ("POST", "/api_v2/order/{id}/cancel/"):                                    (401, 403, 403, 404, 404, 200, 404),
    ("GET", "/api_v2/order/{id}/"):                                            (401, 403, 403, 404,  NA, 200, 404),
    ("PATCH", "/api_v2/order/review/{id}/"):                                   (401, 403, 403, 404, 404, 200, 404),
    ("GET", "/api_v2/order/review/{id}/history/"):                             (401, 403, 403, 404, 404, 200, 404),
    ("POST", "/api_v2/order/review_for_customer/{id}/"):                       (401, 403, 403, 404, 403, 200, 404),
    ("GET", "/api_v2/order/reviews_by_order_id/{id}/"):                        (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api_v2/order_for_personal_area/"):                               (401, 403, 403, 200,  NA, 200, 200),
    # assignments (002): the Dispatchers group's model permissions; acquire: executor_id must be my own id
    ("PUT", "/orders/assign"):                                                 (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/order/acquire"):                                                 (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/order/cancel"):                                                 (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/order/complete"):                                               (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/api/assignments/"):                                              (401, 403, 403, 403, 403, 200, 403),
    # appraisals (003): the hr-integration group's model permissions
    ("GET", "/api/appraisals/"):                                               (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/api/appraisals/"):                                              (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/appraisals/{appraisalId}"):                                  (401, 403, 403, 403, 403, 200, 403),
    ("PUT", "/api/appraisals/{appraisalId}"):                                  (401, 403, 403, 403, 403, 200, 403),
    ("PATCH", "/api/appraisals/{appraisalId}"):                                (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/api/appraisals/{appraisalId}"):                               (401, 403, 403, 403, 403, 204, 403),
    ("GET", "/api/appraisals/{appraisalId}/participants"):                     (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/api/appraisals/{appraisalId}/participants"):                    (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/appraisals/{appraisalId}/participants/{participantId}"):     (401, 403, 403, 403, 403, 200, 403),
    ("PUT", "/api/appraisals/{appraisalId}/participants/{participantId}"):     (401, 403, 403, 403, 403, 200, 403),
    ("PATCH", "/api/appraisals/{appraisalId}/participants/{participantId}"):   (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/api/appraisals/{appraisalId}/participants/{participantId}"):  (401, 403, 403, 403, 403, 200, 403),
    # partner (004): partner.use_partner_api (the partner-integration group)
    ("POST", "/v2/orders/"):                                                   (401, 403, 403, 403, 403, 200, 403),
    ("DELETE", "/v2/orders/"):                                                 (401, 403, 403, 403, 403, 200, 403),
    ("GET", "/v2/orders/{order_id}"):                                          (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/v1/SendOrder"):                                                 (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/v1/GetOrderStatus"):                                            (401, 403, 403, 403, 403, 200, 403),
    ("POST", "/v1/cancel_order"):                                              (401, 403, 403, 403, 403, 200, 403),
    # webhooks: anyone lists theirs; a scope needs its right (organization: its owner); an endpoint is its owner's
    ("GET", "/api/webhooks/"):                                                 (401, 403, 403, 200,  NA, 200, 200),
    ("POST", "/api/webhooks/"):                                                (401, 403, 403, 403, 403, 201, 403),
    ("GET", "/api/webhooks/{id}/"):                                            (401, 403, 403, 404,  NA, 200, 404),
    ("PATCH", "/api/webhooks/{id}/"):                                          (401, 403, 403, 404,  NA, 200, 404),
    ("DELETE", "/api/webhooks/{id}/"):                                         (401, 403, 403, 404,  NA, 204, 404),
    ("GET", "/api/webhooks/{id}/deliveries/"):                                 (401, 403, 403, 404,  NA, 200, 404),
    ("POST", "/api/webhooks/{id}/deliveries/{delivery_id}/replay/"):           (401, 403, 403, 404,  NA, 202, 404),
    ("POST", "/api/webhooks/{id}/test/"):                                      (401, 403, 403, 404,  NA, 202, 404),
    # notifications: mine only
    ("GET", "/api/notifications/"):                                            (401, 403, 403, 200,  NA, 200, 200),
    ("POST", "/api/notifications/{id}/read/"):                                 (401, 403, 403, 404,  NA, 200, 404),
    ("POST", "/api/notifications/read-all/"):                                  (401, 403, 403, 200,  NA, 200, 200),
}
# fmt: on


@dataclass(frozen=True)
class Call:
    """How a row is called: who holds the right, who lacks it, the URL and a valid body for the holder."""

    holder: Pick
    lacking: Pick | None = None
    url: Callable[[World], str] | None = None  # the schema path itself when it has no parameters
    body: Callable[[World], Any] | None = None


CALLS: dict[tuple[str, str], Call] = {
    # --- accounts: my own profile and sessions; unconfirmed users may use /api/auth/* -------------------------
    ("GET", "/api/auth/me/"): Call(_someone),
    ("PATCH", "/api/auth/me/"): Call(_someone, body=lambda w: {"first_name": "Anna"}),
    ("GET", "/api/auth/sessions/"): Call(_someone),
    ("DELETE", "/api/auth/sessions/{session_id}/"): Call(
        _someone, url=lambda w: f"/api/auth/sessions/{w.someones_other_session.pk}/"
    ),
    ("POST", "/api/auth/logout/"): Call(_someone),
    # --- organizations (document 001): members read, holders of a right write ----------------------------------
    ("GET", "/api/organizations/"): Call(_creator),
    ("POST", "/api/organizations/"): Call(
        _creator, body=lambda w: {"name": "Organization2", "numbers": {"main": "+79999999999"}}
    ),
    ("GET", "/api/organizations/roles/"): Call(_creator),
    # A member whose role holds no right at all still reads the organization and what is under it (README:
    # "members read"), e.g. to pick a service and client for an order they may create.
    ("GET", "/api/organizations/{organization_id}/"): Call(_creator, _member_without(), url=_org),
    ("PATCH", "/api/organizations/{organization_id}/"): Call(
        _creator, _member_without("change"), url=_org, body=lambda w: {"name": "Renamed"}
    ),
    ("GET", "/api/organizations/{organization_id}/members/"): Call(
        _creator, _member_without(), url=lambda w: _org(w, "members/")
    ),
    ("POST", "/api/organizations/{organization_id}/members/"): Call(
        _creator,
        _member_without("create"),
        url=lambda w: _org(w, "members/"),
        body=lambda w: {"user": w.outsider.pk, "role": "employee"},
    ),
    ("PATCH", "/api/organizations/{organization_id}/members/{user_id}/"): Call(
        _creator,
        _member_without("change"),
        url=lambda w: _org(w, f"members/{w.employee.user_id}/"),
        body=lambda w: {"role": "manager"},
    ),
    ("DELETE", "/api/organizations/{organization_id}/members/{user_id}/"): Call(
        _creator, _member_without("delete"), url=lambda w: _org(w, f"members/{w.employee.user_id}/")
    ),
    ("GET", "/api/organizations/{organization_id}/services/"): Call(
        _creator, _member_without(), url=lambda w: _org(w, "services/")
    ),
    ("POST", "/api/organizations/{organization_id}/services/"): Call(
        _creator,
        _member_without("create"),
        url=lambda w: _org(w, "services/"),
        body=lambda w: {"name": "Programming", "address": "Gdeto v rossii", "phone": "+79518472961"},
    ),
    ("GET", "/api/organizations/{organization_id}/services/{service_id}/"): Call(
        _creator, _member_without(), url=lambda w: _org(w, f"services/{w.service.pk}/")
    ),
    ("PATCH", "/api/organizations/{organization_id}/services/{service_id}/"): Call(
        _creator,
        _member_without("change"),
        url=lambda w: _org(w, f"services/{w.service.pk}/"),
        body=lambda w: {"name": "Design"},
    ),
    ("DELETE", "/api/organizations/{organization_id}/services/{service_id}/"): Call(
        _creator, _member_without("delete"), url=lambda w: _org(w, f"services/{w.service.pk}/")
    ),
    ("GET", "/api/organizations/{organization_id}/clients/"): Call(
        _creator, _member_without(), url=lambda w: _org(w, "clients/")
    ),
    ("POST", "/api/organizations/{organization_id}/clients/"): Call(
        _creator,
        _member_without("create"),
        url=lambda w: _org(w, "clients/"),
        body=lambda w: {"name": "Petr Petrov", "phone": "+79990001122", "email": "petr@example.com"},
    ),
    ("GET", "/api/organizations/{organization_id}/clients/{client_id}/"): Call(
        _creator, _member_without(), url=lambda w: _org(w, f"clients/{w.client.pk}/")
    ),
    ("PATCH", "/api/organizations/{organization_id}/clients/{client_id}/"): Call(
        _creator,
        _member_without("change"),
        url=lambda w: _org(w, f"clients/{w.client.pk}/"),
        body=lambda w: {"phone": "+79990003344"},
    ),
    ("DELETE", "/api/organizations/{organization_id}/clients/{client_id}/"): Call(
        _creator, _member_without("delete"), url=lambda w: _org(w, f"clients/{w.client.pk}/")
    ),
    # --- organization orders (document 001): outsiders, members without the right, staff → 403 ----------------
    ("POST", "/orders/order-c/"): Call(
        _creator,
        _member_without("create"),
        body=lambda w: {
            "description": "New order",
            "organization": w.org.pk,
            "creator": w.org.creator_id,
            "executor": w.org.creator_id,
            "client": w.client.pk,
            "service": w.service.pk,
        },
    ),
    ("GET", "/orders/order-l/{organization_id}/"): Call(
        _creator, _member_without("view"), url=lambda w: f"/orders/order-l/{w.order.organization_id}/"
    ),
    ("GET", "/orders/order-creator-l/{organization_id}/"): Call(
        _creator, _member_without("view", "create"), url=lambda w: f"/orders/order-creator-l/{w.order.organization_id}/"
    ),
    ("GET", "/orders/order-r/{id}/"): Call(
        _creator, _member_without("view"), url=lambda w: f"/orders/order-r/{w.order.pk}/"
    ),
    ("GET", "/orders/order-r/{id}/{organization_id}/"): Call(
        _creator, _member_without("view"), url=lambda w: f"/orders/order-r/{w.order.pk}/{w.order.organization_id}/"
    ),
    ("PUT", "/orders/order-ud/{id}/"): Call(
        _creator, _member_without("change"), url=lambda w: f"/orders/order-ud/{w.order.pk}/", body=_order_change
    ),
    ("PATCH", "/orders/order-ud/{id}/"): Call(
        _creator,
        _member_without("change"),
        url=lambda w: f"/orders/order-ud/{w.order.pk}/",
        body=lambda w: {**_order_change(w), "done": True},
    ),
    ("DELETE", "/orders/order-ud/{id}/"): Call(
        _creator,
        _member_without("delete"),
        url=lambda w: f"/orders/order-ud/{w.order.pk}/",
        body=lambda w: {"organization": w.order.organization_id},
    ),
    # --- marketplace (document 000): customer and executor of a response; anyone else → 404 -------------------
    ("GET", "/api_v2/order/"): Call(_customer),
    ("POST", "/api_v2/order/"): Call(
        _customer,
        body=lambda w: {"name": "Landing page", "description": "For a bakery.", "price": "15000.00", "term": 7},
    ),
    ("GET", "/api_v2/order/mine/"): Call(_customer),
    # lacking: an executor who responded to the order (only its customer edits it)
    ("PATCH", "/api_v2/order/mine/{id}/"): Call(
        _customer, _executor, url=lambda w: f"/api_v2/order/mine/{w.review.order_id}/", body=lambda w: {"term": 9}
    ),
    # lacking: an executor who responded to the order (only its customer cancels it)
    ("POST", "/api_v2/order/{id}/cancel/"): Call(
        _customer,
        _executor,
        url=lambda w: f"/api_v2/order/{w.review.order_id}/cancel/",
        body=lambda w: {"reason": "Found a designer locally."},
    ),
    # lacking: the customer of the accepted response's order (only its executor withdraws it)
    ("POST", "/api_v2/order/review/{id}/withdraw/"): Call(
        lambda w: w.taken.executor,
        lambda w: w.taken.order.creator,
        url=lambda w: f"/api_v2/order/review/{w.taken.pk}/withdraw/",
        body=lambda w: {},
    ),
    # A taken order: any confirmed user may open an open one (their first view creates their response).
    ("GET", "/api_v2/order/{id}/"): Call(
        lambda w: w.taken.order.creator, url=lambda w: f"/api_v2/order/{w.taken.order_id}/"
    ),
    # lacking: the customer, who answers a response through review_for_customer, never here
    ("PATCH", "/api_v2/order/review/{id}/"): Call(
        _executor,
        _customer,
        url=lambda w: f"/api_v2/order/review/{w.review.pk}/",
        body=lambda w: {"status": "reconciliation", "to_price": "900.00"},
    ),
    # lacking: another executor who responded to the same order
    ("GET", "/api_v2/order/review/{id}/history/"): Call(
        _executor, lambda w: w.fellow_review.executor, url=lambda w: f"/api_v2/order/review/{w.review.pk}/history/"
    ),
    # lacking: the response's executor, who may not accept their own response
    ("POST", "/api_v2/order/review_for_customer/{id}/"): Call(
        _customer,
        _executor,
        url=lambda w: f"/api_v2/order/review_for_customer/{w.review.pk}/",
        body=lambda w: {"status": "accepted"},
    ),
    ("GET", "/api_v2/order/reviews_by_order_id/{id}/"): Call(
        _customer, _executor, url=lambda w: f"/api_v2/order/reviews_by_order_id/{w.review.order_id}/"
    ),
    ("GET", "/api_v2/order_for_personal_area/"): Call(lambda w: w.taken.executor),
    # --- assignments (document 002): the app's model permissions (Dispatchers); acquire: my own id only ---------
    ("PUT", "/orders/assign"): Call(_dispatcher, _no_perm("assignments", "add_assignedorder"), url=_assign),
    # lacking: a dispatcher, holding every assignments permission, is still not the executor
    ("GET", "/order/acquire"): Call(
        lambda w: w.courier, _dispatcher, url=lambda w: f"/order/acquire?executor_id={w.courier.pk}"
    ),
    ("POST", "/order/cancel"): Call(
        _dispatcher,
        _no_perm("assignments", "change_assignedorder"),
        url=lambda w: f"/order/cancel?order_id={w.assigned.order_id}",
    ),
    ("POST", "/order/complete"): Call(
        _dispatcher,
        _no_perm("assignments", "change_assignedorder"),
        url=lambda w: f"/order/complete?order_id={w.acquired.order_id}",
    ),
    ("GET", "/api/assignments/"): Call(_dispatcher, _no_perm("assignments", "view_assignedorder")),
    # --- appraisals (document 003): model permissions (hr-integration) --------------------------------------
    ("GET", "/api/appraisals/"): Call(_hr, _no_perm("appraisals", "view_appraisal")),
    ("POST", "/api/appraisals/"): Call(
        _hr,
        _no_perm("appraisals", "add_appraisal"),
        body=lambda w: {"title": "Quarterly review", "externalId": "matrix-new"},
    ),
    ("GET", "/api/appraisals/{appraisalId}"): Call(
        _hr, _no_perm("appraisals", "view_appraisal"), url=lambda w: f"/api/appraisals/{w.appraisal.pk}"
    ),
    ("PUT", "/api/appraisals/{appraisalId}"): Call(
        _hr,
        _no_perm("appraisals", "change_appraisal"),
        url=lambda w: f"/api/appraisals/{w.appraisal.pk}",
        body=lambda w: {"title": "Replaced"},
    ),
    ("PATCH", "/api/appraisals/{appraisalId}"): Call(
        _hr,
        _no_perm("appraisals", "change_appraisal"),
        url=lambda w: f"/api/appraisals/{w.appraisal.pk}",
        body=lambda w: [{"op": "replace", "path": "/title", "value": "Patched"}],
    ),
    ("DELETE", "/api/appraisals/{appraisalId}"): Call(
        _hr, _no_perm("appraisals", "delete_appraisal"), url=lambda w: f"/api/appraisals/{w.appraisal.pk}"
    ),
    ("GET", "/api/appraisals/{appraisalId}/participants"): Call(
        _hr,
        _no_perm("appraisals", "view_appraisalparticipant"),
        url=lambda w: f"/api/appraisals/{w.participant.appraisal_id}/participants",
    ),
    ("POST", "/api/appraisals/{appraisalId}/participants"): Call(
        _hr,
        _no_perm("appraisals", "add_appraisalparticipant"),
        url=lambda w: f"/api/appraisals/{w.participant.appraisal_id}/participants",
        body=lambda w: participant_body(externalId="matrix-new"),
    ),
    ("GET", "/api/appraisals/{appraisalId}/participants/{participantId}"): Call(
        _hr, _no_perm("appraisals", "view_appraisalparticipant"), url=_participant
    ),
    ("PUT", "/api/appraisals/{appraisalId}/participants/{participantId}"): Call(
        _hr,
        _no_perm("appraisals", "change_appraisalparticipant"),
        url=_participant,
        body=lambda w: participant_body(externalId=w.participant.external_id),
    ),
    ("PATCH", "/api/appraisals/{appraisalId}/participants/{participantId}"): Call(
        _hr,
        _no_perm("appraisals", "change_appraisalparticipant"),
        url=_participant,
        body=lambda w: [{"op": "replace", "path": "/status", "value": ParticipantStatus.PROVIDED}],
    ),
    ("DELETE", "/api/appraisals/{appraisalId}/participants/{participantId}"): Call(
        _hr, _no_perm("appraisals", "delete_appraisalparticipant"), url=_participant
    ),
    # --- partner (document 004): partner.use_partner_api (partner-integration); member_without_right holds
    # every other permission of the app (the admin's) -------------------------------------------------------------
    ("POST", "/v2/orders/"): Call(
        _partner, _no_perm("partner", PARTNER_API_PERMISSION), body=lambda w: order_body(w.new_partner_order_id())
    ),
    ("DELETE", "/v2/orders/"): Call(
        _partner,
        _no_perm("partner", PARTNER_API_PERMISSION),
        body=lambda w: {"order_id": w.partner_order.order_id, "their_order_id": w.partner_order.their_order_id},
    ),
    ("GET", "/v2/orders/{order_id}"): Call(
        _partner, _no_perm("partner", PARTNER_API_PERMISSION), url=lambda w: f"/v2/orders/{w.partner_order.order_id}"
    ),
    ("POST", "/v1/SendOrder"): Call(
        _partner,
        _no_perm("partner", PARTNER_API_PERMISSION),
        body=lambda w: {
            "OrderId": w.new_partner_order_id(),
            "TheirPharmacyId": "1086",
            "Client": {"FIO": "Ivanov Ivan", "Phone": "79997772211", "EMail": "ivan@example.com"},
            "Items": [{"TheirId": "58", "Price": 10, "Count": 2}],
        },
    ),
    ("POST", "/v1/GetOrderStatus"): Call(
        _partner,
        _no_perm("partner", PARTNER_API_PERMISSION),
        body=lambda w: {"OrderId": w.partner_order.order_id, "TheirOrderId": w.partner_order.their_order_id},
    ),
    ("POST", "/v1/cancel_order"): Call(
        _partner,
        _no_perm("partner", PARTNER_API_PERMISSION),
        body=lambda w: {"order_ID": w.partner_order.order_id, "their_order_ID": w.partner_order.their_order_id},
    ),
    # --- webhooks and notifications ----------------------------------------------------------------------------
    ("GET", "/api/webhooks/"): Call(_creator),
    ("POST", "/api/webhooks/"): Call(
        _creator,
        _member_without("delete"),  # every order right but one: not an owner
        body=lambda w: {
            "url": "http://127.0.0.1:9/hook",
            "scope": "organization",
            "organization": w.org.pk,
            "event_types": ["organization_order.created"],
        },
    ),
    ("GET", "/api/webhooks/{id}/"): Call(_creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/"),
    ("PATCH", "/api/webhooks/{id}/"): Call(
        _creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/", body=lambda w: {"description": "changed"}
    ),
    ("DELETE", "/api/webhooks/{id}/"): Call(_creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/"),
    ("GET", "/api/webhooks/{id}/deliveries/"): Call(
        _creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/deliveries/"
    ),
    ("POST", "/api/webhooks/{id}/deliveries/{delivery_id}/replay/"): Call(
        _creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/deliveries/{w.delivery.pk}/replay/"
    ),
    ("POST", "/api/webhooks/{id}/test/"): Call(_creator, url=lambda w: f"/api/webhooks/{w.webhook.pk}/test/"),
    ("GET", "/api/notifications/"): Call(_someone),
    ("POST", "/api/notifications/{id}/read/"): Call(
        _someone, url=lambda w: f"/api/notifications/{w.notification.pk}/read/"
    ),
    ("POST", "/api/notifications/read-all/"): Call(_someone),
}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # exactly as in the schema
    expect: dict[str, int | None]
    call: Call

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROWS = [
    Row(method, path, dict(zip(ACTORS, statuses, strict=True)), CALLS[method, path])
    for (method, path), statuses in MATRIX.items()
    if (method, path) in CALLS  # test_matrix_and_calls_name_the_same_operations reports the others
]

#: Operations anyone may call without a token, and why. Anything else in the schema needs a row above.
PUBLIC = {
    ("GET", "/health/"): "load balancer and uptime probe",
    ("GET", "/health/dependencies/"): "operators: the state of each dependency, no data",
    ("POST", "/api/auth/register/"): "creates the account",
    ("POST", "/api/auth/confirm-email/"): "proves the address with the emailed code",
    ("POST", "/api/auth/confirm-email/resend/"): "same answer whether or not the address exists",
    ("POST", "/api/auth/token/"): "the login",
    ("POST", "/api/auth/token/refresh/"): "authenticated by the refresh token in the body",
    ("POST", "/api/auth/token/verify/"): "checks the token in the body",
}


def _schema_operations() -> set[tuple[str, str]]:
    return {(method, path) for method, path, _ in openapi.operations()}


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a request could write, without the columns reading or logging in touches."""
    volatile = {"last_login", "last_seen_at"}
    models = (
        User,
        UserSession,
        Organization,
        Membership,
        Service,
        Client,
        Order,
        MarketplaceOrder,
        ExecutorProfile,
        OrderReview,
        OrderReviewStatusChange,
        MarketplaceOrderChange,
        AssignedOrder,
        AssignedOrderHistory,
        Appraisal,
        AppraisalParticipant,
        PartnerOrder,
        PartnerOrderStatusChange,
        OutboxEvent,
        EmailConfirmation,
        WebhookEndpoint,
        WebhookDelivery,
        Notification,
    )
    return {
        model.__name__: [
            {key: value for key, value in row.items() if key not in volatile}
            for row in model.objects.order_by("pk").values()
        ]
        for model in models
    }


def _revoke_and_use(api: APIClient, user: User) -> None:
    """Log in, revoke that session from a second one (DELETE /api/auth/sessions/{id}/), go on with the first."""
    stale = login(api, user)["access"]
    login(api, user)
    assert api.delete(f"/api/auth/sessions/{AccessToken(stale)['sid']}/").status_code == 204
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {stale}")


def _authenticate(api: APIClient, actor: str, row: Row, world: World) -> None:
    if actor == "anonymous":
        return
    if actor == "outsider":
        user = world.outsider
    elif actor == "staff":
        user = world.staff
    elif actor == "member_without_right":
        assert row.call.lacking is not None, f"{row.id}: member_without_right needs `lacking`"
        user = row.call.lacking(world)
    else:
        user = row.call.holder(world)
        if actor == "unconfirmed":
            User.objects.filter(pk=user.pk).update(confirmed_email=False)
        if actor == "revoked":
            _revoke_and_use(api, user)
            return
    login(api, user)


def _path_pattern(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "[^/]+", path)


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    return World(request)


@pytest.fixture(scope="module")
def _shared_client() -> APIClient:
    """One client for the module: each new client loads the middleware again (WhiteNoise scans the static
    files, ~0.1 s), which would be most of the matrix's run time."""
    return APIClient()


@pytest.fixture
def api(_shared_client: APIClient) -> APIClient:
    """The shared client, with no credentials."""
    _shared_client.credentials()
    _shared_client.cookies.clear()
    return _shared_client


CASES = [
    pytest.param(row, actor, id=f"{row.id} [{actor}]")
    for row in ROWS
    for actor in ACTORS
    if row.expect[actor] is not NA
]


@pytest.mark.parametrize(("row", "actor"), CASES)
def test_authorization_matrix(row: Row, actor: str, world: World, api: APIClient) -> None:
    # given the row's objects and the actor's client
    url = row.call.url(world) if row.call.url else row.path
    body = row.call.body(world) if row.call.body else None
    assert re.fullmatch(_path_pattern(row.path), urlsplit(url).path), f"{url} is not {row.path}"
    _authenticate(api, actor, row, world)
    expected = row.expect[actor]
    before = _snapshot() if expected >= 400 else None

    # when
    response = getattr(api, row.method.lower())(url, body, format="json")

    # then
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response.json() == refusal(row.path, NO_CREDENTIALS)
    if expected == 403 and actor in ("unconfirmed", "revoked"):
        assert response.json() == refusal(row.path, FORBIDDEN)  # the gates every endpoint shares
    elif expected == 403:
        assert "detail" in response.json()  # object rules may explain themselves (marketplace)
    if before is not None:
        assert _snapshot() == before, "a refused request changed data"


def test_matrix_and_calls_name_the_same_operations() -> None:
    assert set(MATRIX) == set(CALLS)


def test_every_operation_of_the_schema_has_a_matrix_row_or_is_public() -> None:
    rows = list(MATRIX)
    operations = _schema_operations()
    missing = operations - set(rows) - set(PUBLIC)
    assert not missing, f"operations without an authorization matrix row: {sorted(missing)}"
    stale = (set(rows) | set(PUBLIC)) - operations
    assert not stale, f"rows for operations the schema no longer has: {sorted(stale)}"
    assert not set(rows) & set(PUBLIC)


def test_every_row_names_every_actor_and_refuses_anonymous() -> None:
    for row in ROWS:
        assert set(row.expect) == set(ACTORS), row.id
        assert row.expect["anonymous"] == 401, row.id
        assert row.expect["revoked"] == 403, row.id
        assert 200 <= (row.expect["right_holder"] or 0) < 300, row.id
        assert (row.call.lacking is None) == (row.expect["member_without_right"] is NA), row.id


def test_another_users_object_is_404_or_403() -> None:
    """Every operation on one object (an id in the path) refuses the outsider and staff."""
    for row in ROWS:
        if "{" in row.path and row.path != "/api_v2/order/{id}/":
            assert row.expect["outsider"] in (403, 404), row.id
            assert row.expect["staff"] in (403, 404), row.id
    # The marketplace order row targets a taken order; an open one is public to confirmed users by design.
    marketplace = next(row for row in ROWS if row.path == "/api_v2/order/{id}/")
    assert marketplace.expect["outsider"] == 404


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC))
def test_public_operations_need_no_token(method: str, path: str, api: APIClient) -> None:
    response = getattr(api, method.lower())(path, {}, format="json")

    assert response.status_code not in (401, 403), response.content
    assert response.status_code < 500


# --- lists: another user's (or organization's, or appraisal's) objects never appear in mine ------------------


@dataclass(frozen=True)
class ListCase:
    """`setup` returns (viewer, url, ids that must be listed, ids that must never be listed)."""

    path: str
    setup: Callable[[World], tuple[User, str, set[Any], set[Any]]]
    key: Callable[[dict[str, Any]], Any] = lambda item: item["id"]


def _organizations(w: World) -> tuple[User, str, set[Any], set[Any]]:
    other = OrganizationFactory()
    MembershipFactory(organization=other)  # a membership elsewhere does not leak the organization either
    return w.org.creator, "/api/organizations/", {w.org.pk}, {other.pk}


def _members(w: World) -> tuple[User, str, set[Any], set[Any]]:
    other = MembershipFactory()
    mine = {w.org.creator_id, w.employee.user_id}
    return w.org.creator, _org(w, "members/"), mine, {other.user_id, other.organization.creator_id}


def _services(w: World) -> tuple[User, str, set[Any], set[Any]]:
    return w.org.creator, _org(w, "services/"), {w.service.pk}, {ServiceFactory().pk}


def _clients(w: World) -> tuple[User, str, set[Any], set[Any]]:
    return w.org.creator, _org(w, "clients/"), {w.client.pk}, {ClientFactory().pk}


def _organization_orders(w: World) -> tuple[User, str, set[Any], set[Any]]:
    foreign = {OrderFactory().pk, MarketplaceOrderFactory().pk}
    return w.org.creator, f"/orders/order-l/{w.org.pk}/", {w.order.pk}, foreign


def _my_organization_orders(w: World) -> tuple[User, str, set[Any], set[Any]]:
    manager = MembershipFactory(organization=w.org, role=role("manager")).user
    mine = OrderFactory(organization=w.org, creator=manager, service=w.service, client=w.client)
    foreign = {w.order.pk, OrderFactory(creator=manager).pk}  # a colleague's order; mine in another organization
    return manager, f"/orders/order-creator-l/{w.org.pk}/", {mine.pk}, foreign


def _feed(w: World) -> tuple[User, str, set[Any], set[Any]]:
    viewer = w.outsider
    foreign = {
        MarketplaceOrderFactory(creator=viewer).pk,  # my own orders are under /mine/
        w.taken.order_id,  # taken by another executor
        w.order.pk,  # an organization's order
    }
    return viewer, "/api_v2/order/", {w.review.order_id}, foreign


def _mine(w: World) -> tuple[User, str, set[Any], set[Any]]:
    customer = w.review.order.creator
    return customer, "/api_v2/order/mine/", {w.review.order_id}, {w.taken.order_id, MarketplaceOrderFactory().pk}


def _personal_area(w: World) -> tuple[User, str, set[Any], set[Any]]:
    rival = review_in_status(ReviewStatus.IN_PROGRESS)
    return w.taken.executor, "/api_v2/order_for_personal_area/", {w.taken.order_id}, {rival.order_id}


def _reviews_by_order(w: World) -> tuple[User, str, set[Any], set[Any]]:
    mine = {w.review.pk, w.fellow_review.pk}
    other = OrderReviewFactory(executor=w.review.executor)  # the same executor on another customer's order
    return w.review.order.creator, f"/api_v2/order/reviews_by_order_id/{w.review.order_id}/", mine, {other.pk}


def _history(w: World) -> tuple[User, str, set[Any], set[Any]]:
    def change(review: OrderReview) -> int:
        return OrderReviewStatusChange.objects.create(
            review=review, actor=review.executor, from_status=None, to_status=review.status
        ).pk

    mine = {change(w.review)}
    foreign = {change(w.fellow_review), change(OrderReviewFactory(executor=w.review.executor))}
    return w.review.executor, f"/api_v2/order/review/{w.review.pk}/history/", mine, foreign


def _participants(w: World) -> tuple[User, str, set[Any], set[Any]]:
    appraisal = w.participant.appraisal
    deleted = AppraisalParticipantFactory(appraisal=appraisal, status=ParticipantStatus.DELETED)
    foreign = {AppraisalParticipantFactory().pk, deleted.pk}
    return w.hr, f"/api/appraisals/{appraisal.pk}/participants", {w.participant.pk}, foreign


def _sessions(w: World) -> tuple[User, str, set[Any], set[Any]]:
    theirs = session_start(user=w.outsider, user_agent="theirs", ip_address=None)
    return w.someone, "/api/auth/sessions/", {str(w.someones_other_session.pk)}, {str(theirs.pk)}


def _webhooks(w: World) -> tuple[User, str, set[Any], set[Any]]:
    return w.org.creator, "/api/webhooks/", {w.webhook.pk}, {_webhook_of(w.outsider).pk}


def _deliveries(w: World) -> tuple[User, str, set[Any], set[Any]]:
    # another endpoint of the same owner, and another owner's endpoint
    foreign = {_delivery_to(_webhook_of(w.org.creator)).pk, _delivery_to(_webhook_of(w.outsider)).pk}
    return w.org.creator, f"/api/webhooks/{w.webhook.pk}/deliveries/", {w.delivery.pk}, foreign


def _notifications(w: World) -> tuple[User, str, set[Any], set[Any]]:
    return w.someone, "/api/notifications/", {w.notification.pk}, {_notification_of(w.outsider).pk}


LIST_CASES = [
    ListCase("/api/organizations/", _organizations),
    ListCase("/api/organizations/{organization_id}/members/", _members, key=lambda item: item["user"]["id"]),
    ListCase("/api/organizations/{organization_id}/services/", _services),
    ListCase("/api/organizations/{organization_id}/clients/", _clients),
    ListCase("/orders/order-l/{organization_id}/", _organization_orders),
    ListCase("/orders/order-creator-l/{organization_id}/", _my_organization_orders),
    ListCase("/api_v2/order/", _feed),
    ListCase("/api_v2/order/mine/", _mine),
    ListCase("/api_v2/order_for_personal_area/", _personal_area),
    ListCase("/api_v2/order/reviews_by_order_id/{id}/", _reviews_by_order),
    ListCase("/api_v2/order/review/{id}/history/", _history),
    ListCase("/api/appraisals/{appraisalId}/participants", _participants),
    ListCase("/api/auth/sessions/", _sessions),
    ListCase("/api/webhooks/", _webhooks),
    ListCase("/api/webhooks/{id}/deliveries/", _deliveries),
    ListCase("/api/notifications/", _notifications),
]

#: Lists that are not anyone's: every holder of the permission sees all of it, by design.
SHARED_LISTS = {
    "/api/organizations/roles/": "reference data: the roles any member can be given",
    "/api/assignments/": "the dispatch system's data: every dispatcher sees every assignment",
    "/api/appraisals/": "the HR system's data: the hr-integration group sees every appraisal",
}


def test_every_list_of_the_schema_has_an_isolation_case() -> None:
    lists = set()
    for path, operations in openapi.schema()["paths"].items():
        content = operations.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
        for media in content.values():
            body = openapi.resolve(media.get("schema", {}))
            shapes = [openapi.resolve(shape) for shape in body.get("oneOf", [body])]  # a bare array or a page
            if any(shape.get("type") == "array" or "results" in shape.get("properties", {}) for shape in shapes):
                lists.add(path)
    covered = {case.path for case in LIST_CASES}
    assert lists == covered | set(SHARED_LISTS), (sorted(lists - covered - set(SHARED_LISTS)), sorted(covered - lists))


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda case: case.path)
def test_another_users_objects_never_appear_in_my_list(case: ListCase, world: World, api: APIClient) -> None:
    # given my objects and someone else's
    viewer, url, mine, foreign = case.setup(world)
    login(api, viewer)
    assert re.fullmatch(_path_pattern(case.path), urlsplit(url).path)

    # when
    response = api.get(url, {"page_size": 100})

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    listed = {case.key(item) for item in (body["results"] if isinstance(body, dict) else body)}
    assert mine <= listed
    assert not listed & foreign


def test_revoking_by_logout_is_the_same_403(world: World, api: APIClient) -> None:
    """The matrix revokes from another session; logging out the session itself gets the same answer."""
    login(api, world.org.creator)
    assert api.post("/api/auth/logout/").status_code == 204

    for url in ("/api/auth/me/", f"/api/organizations/{world.org.pk}/", f"/orders/order-l/{world.org.pk}/"):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json() == refusal(url, FORBIDDEN)


def test_revoking_one_session_leaves_the_others_working(world: World, api: APIClient) -> None:
    """The matrix's revoked actor lost one session, not the account."""
    url = f"/api/organizations/{world.org.pk}/"
    fresh = login(api, world.org.creator)["access"]
    _revoke_and_use(api, world.org.creator)
    assert api.get(url).status_code == 403

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh}")
    assert api.get(url).status_code == 200


# --- routes served beside the documented ones (trailing-slash twins, /order/assign) ----------------------------


def _drf_routes() -> list[tuple[str, Any]]:
    """(route regex, view) of every DRF view in the URLconf."""

    def walk(patterns: list[Any], prefix: str) -> list[tuple[str, Any]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif hasattr(pattern.callback, "cls"):
                found.append((prefix + str(pattern.pattern), pattern.callback))
        return found

    return walk(get_resolver().url_patterns, "")


HIDDEN_ROUTES = [
    pytest.param(route, view, id=route) for route, view in _drf_routes() if view.initkwargs.get("schema", ...) is None
]


def test_routes_hidden_from_the_schema_serve_documented_views() -> None:
    """So the matrix's rows cover them: same view class, same permission classes."""
    documented = {view.cls for route, view in _drf_routes() if view.initkwargs.get("schema", ...) is not None}
    assert HIDDEN_ROUTES
    for param in HIDDEN_ROUTES:
        route, view = param.values
        assert view.cls in documented, route


@pytest.mark.parametrize(("route", "view"), HIDDEN_ROUTES)
def test_routes_hidden_from_the_schema_refuse_like_the_documented_ones(
    route: str, view: Any, world: World, api: APIClient
) -> None:
    url = "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace("^", "").replace("/?", "/").replace("$", "")
    url += "?order_id=ord-1&executor_id=not-me&zone_id=zone-north"  # past document 002's "Missing parameters"
    served = getattr(view, "actions", {})  # a viewset serves the methods its route maps to actions
    method = next(
        name for name in ("get", "post", "put", "patch", "delete") if name in served or hasattr(view.cls, name)
    )
    assert getattr(api, method)(url).status_code == 401, url

    login(api, world.outsider)
    response = getattr(api, method)(url)
    assert response.status_code == 403, url
    assert response.json() == refusal(url, FORBIDDEN)

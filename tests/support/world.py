"""A world of objects for tests that act on every app, each built by its factory on first use (fresh per test)."""

from functools import cached_property

from accounts.models import User
from appraisals.models import Appraisal
from appraisals.permissions import hr_group_ensure
from assignments.models import AssignedOrder
from assignments.permissions import ensure_dispatchers_group
from organizations.models import Client, Organization, Service
from reviews.models import OrderReview
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.organizations.factories import ClientFactory, OrganizationFactory, ServiceFactory
from tests.partner.factories import partner_service_user
from tests.reviews.factories import OrderReviewFactory


class FactoryWorld:
    """One object of each kind the apps act on, and the users who hold the group rights; a test module subclasses
    it to add what only its tests need."""

    # --- organizations (the product, document 001) -------------------------------------------------------------
    @cached_property
    def org(self) -> Organization:
        """Its creator holds every right."""
        return OrganizationFactory()

    @cached_property
    def service(self) -> Service:
        return ServiceFactory(organization=self.org)

    @cached_property
    def client(self) -> Client:
        return ClientFactory(organization=self.org)

    # --- marketplace (document 000) ----------------------------------------------------------------------------
    @cached_property
    def review(self) -> OrderReview:
        """An open response (looked) of an executor to an open order of a customer."""
        return OrderReviewFactory()

    # --- assignments (document 002) ----------------------------------------------------------------------------
    @cached_property
    def dispatcher(self) -> User:
        user = UserFactory()
        user.groups.add(ensure_dispatchers_group())
        return user

    @cached_property
    def assigned(self) -> AssignedOrder:
        return AssignedOrderFactory()

    # --- appraisals (document 003) -----------------------------------------------------------------------------
    @cached_property
    def hr(self) -> User:
        user = UserFactory()
        user.groups.add(hr_group_ensure())
        return user

    @cached_property
    def appraisal(self) -> Appraisal:
        """Without participants, so it may be deleted."""
        return AppraisalFactory()

    # --- partner (document 004) --------------------------------------------------------------------------------
    @cached_property
    def partner_service(self) -> User:
        return partner_service_user()

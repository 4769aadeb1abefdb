from typing import ClassVar

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from common.admin import changelist_url, link
from orders.models import Order
from organizations.models import Client, Membership, Organization, Role, Service


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "can_view", "can_create", "can_change", "can_delete")
    list_editable = ("can_view", "can_create", "can_change", "can_delete")
    list_filter = ("can_view", "can_create", "can_change", "can_delete")
    search_fields = ("name",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user", "role")


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ("name", "address", "phone")
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "creator_link", "address", "related", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "description", "address", "creator__username", "creator__email")
    list_select_related = ("creator",)
    autocomplete_fields = ("creator",)
    readonly_fields = ("related", "created_at", "updated_at")
    fields = ("name", "description", "address", "creator", "numbers", "links", "related", "created_at", "updated_at")
    inlines = [MembershipInline, ServiceInline]

    @admin.display(description="creator", ordering="creator__username")
    def creator_link(self, organization: Organization) -> str:
        return link(organization.creator)

    @admin.display(description="see")
    def related(self, organization: Organization) -> str:
        """Links to the organization's orders, members, services and clients (each a filtered list)."""
        lists = (
            ("orders", Order),
            ("members", Membership),
            ("services", Service),
            ("clients", Client),
        )
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((changelist_url(model, organization__id__exact=organization.pk), label) for label, model in lists),
        )


class OrganizationObjectAdmin(admin.ModelAdmin):
    """Services, clients and memberships: filtered and found by their organization."""

    list_filter = (("organization", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related: ClassVar[tuple[str, ...]] = ("organization",)
    autocomplete_fields: ClassVar[tuple[str, ...]] = ("organization",)

    @admin.display(description="organization", ordering="organization__name")
    def organization_link(self, obj: Service | Client | Membership) -> str:
        return link(obj.organization)


@admin.register(Membership)
class MembershipAdmin(OrganizationObjectAdmin):
    list_display = ("user_link", "organization_link", "role", "created_at")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("organization__name", "user__username", "user__email")
    list_select_related = ("organization", "user", "role")
    autocomplete_fields = ("organization", "user")

    @admin.display(description="user", ordering="user__username")
    def user_link(self, membership: Membership) -> str:
        return link(membership.user)


@admin.register(Service)
class ServiceAdmin(OrganizationObjectAdmin):
    list_display = ("name", "organization_link", "phone", "created_at")
    search_fields = ("name", "address", "phone", "organization__name")


@admin.register(Client)
class ClientAdmin(OrganizationObjectAdmin):
    list_display = ("name", "phone", "email", "organization_link", "created_at")
    search_fields = ("name", "phone", "email", "organization__name")

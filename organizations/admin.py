from django.contrib import admin

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
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0
    fields = ("name", "address", "phone")
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "creator", "address", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "description", "address", "creator__username", "creator__email")
    list_select_related = ("creator",)
    raw_id_fields = ("creator",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipInline, ServiceInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("id", "organization", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("organization__name", "user__username", "user__email")
    list_select_related = ("organization", "user", "role")
    raw_id_fields = ("organization", "user")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "organization", "phone", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "address", "phone", "organization__name")
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "phone", "email", "organization", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "phone", "email", "organization__name")
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)

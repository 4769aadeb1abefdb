from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.mail import enqueue_delivery
from accounts.models import EmailConfirmation, OutgoingEmail, User, UserSession


class UserSessionInline(admin.TabularInline):
    model = UserSession
    extra = 0
    fields = (
        "id",
        "user_agent",
        "ip_address",
        "created_at",
        "last_seen_at",
        "revoked_at",
    )
    readonly_fields = ("id", "user_agent", "ip_address", "created_at", "last_seen_at")
    can_delete = False
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "confirmed_email",
        "is_staff",
        "created_at",
    )
    list_filter = (
        "confirmed_email",
        "confirmed_phone",
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
    )
    search_fields = (
        "username",
        "email",
        "first_name",
        "last_name",
        "patronymic",
        "phone",
    )
    ordering = ("-created_at",)
    inlines = [UserSessionInline]
    readonly_fields = ("created_at", "updated_at", "last_login", "date_joined")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            "Profile",
            {
                "fields": (
                    "patronymic",
                    "phone",
                    "address",
                    "avatar",
                    "about",
                    "confirmed_email",
                    "confirmed_phone",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "password1", "password2"),
            },
        ),
    )


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "ip_address",
        "created_at",
        "last_seen_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("user__username", "user__email", "ip_address", "user_agent")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("id", "created_at", "last_seen_at")


@admin.register(EmailConfirmation)
class EmailConfirmationAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "attempts", "used_at")
    list_filter = (("used_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("code_hash", "created_at")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The mail outbox, read-only: written by the services, delivered by tasks. Bodies are never shown (codes)."""

    list_display = ("id", "to", "subject", "created_at", "attempts", "next_attempt_at", "sent_at", "given_up_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), ("given_up_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("to", "subject")
    fields = ("to", "subject", "created_at", "attempts", "next_attempt_at", "sent_at", "given_up_at", "last_error")
    readonly_fields = fields
    actions = ["deliver_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Deliver selected pending mail now", permissions=["view"])
    def deliver_now(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        pending = queryset.filter(sent_at__isnull=True, given_up_at__isnull=True).values_list("pk", flat=True)
        enqueued = sum(enqueue_delivery(pk) for pk in pending)
        self.message_user(request, f"{enqueued} message(s) handed to the delivery queue.")

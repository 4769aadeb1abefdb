from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.mail import enqueue_delivery
from accounts.models import EmailConfirmation, OutgoingEmail, User, UserSession
from accounts.services import session_revoke
from common.admin import ReadOnlyAdminMixin, link


class UserSessionInlineForm(forms.ModelForm):
    revoke = forms.BooleanField(required=False, help_text="Revoke this session: its tokens stop working at once.")

    class Meta:
        model = UserSession
        fields: tuple[str, ...] = ()


class UserSessionInline(admin.TabularInline):
    """A user's sessions on their page; ticking "revoke" and saving revokes through the accounts service."""

    model = UserSession
    form = UserSessionInlineForm
    extra = 0
    fields = ("short_user_agent", "ip_address", "created_at", "last_seen_at", "state", "revoke")
    readonly_fields = ("short_user_agent", "ip_address", "created_at", "last_seen_at", "state")
    can_delete = False
    show_change_link = True
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="user agent")
    def short_user_agent(self, session: UserSession) -> str:
        return _short(session.user_agent)

    @admin.display(description="state")
    def state(self, session: UserSession) -> str:
        return _session_state(session)


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else f"{text[: length - 1]}…"


def _session_state(session: UserSession) -> str:
    return f"revoked {session.revoked_at:%Y-%m-%d %H:%M}" if session.revoked_at else "active"


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
    actions = ["revoke_all_sessions"]
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

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is UserSession:
            revoked = _revoke_from_inline(request, formset)
            if revoked:
                self.message_user(request, f"{revoked} session(s) revoked; their tokens no longer work.")
            return
        super().save_formset(request, form, formset, change)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.change_usersession")

    @admin.action(description="Revoke every session of the selected users", permissions=["revoke"])
    def revoke_all_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        revoked = 0
        for session in UserSession.objects.filter(user__in=queryset, revoked_at__isnull=True):
            session_revoke(session=session)
            revoked += 1
        self.message_user(request, f"{revoked} session(s) revoked; their tokens no longer work.", messages.SUCCESS)


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Logins. Revoked, never deleted: a revoked session's tokens get the documented 403 and the row stays as the
    audit of who logged in from where."""

    list_display = ("user_link", "short_user_agent", "ip_address", "created_at", "last_seen_at", "state")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at", "last_seen_at")
    search_fields = ("user__username", "user__email", "ip_address", "user_agent")
    list_select_related = ("user",)
    fields = ("user_link", "user_agent", "ip_address", "created_at", "last_seen_at", "state", "id")
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sessions start at login

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.change_usersession")

    @admin.display(description="user", ordering="user__username")
    def user_link(self, session: UserSession) -> str:
        return link(session.user)

    @admin.display(description="user agent")
    def short_user_agent(self, session: UserSession) -> str:
        return _short(session.user_agent)

    @admin.display(description="state", ordering="revoked_at")
    def state(self, session: UserSession) -> str:
        return _session_state(session)

    @admin.action(description="Revoke selected sessions", permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
        revoked = 0
        for session in queryset.filter(revoked_at__isnull=True):
            session_revoke(session=session)
            revoked += 1
        self.message_user(request, f"{revoked} session(s) revoked; their tokens no longer work.", messages.SUCCESS)


@admin.register(EmailConfirmation)
class EmailConfirmationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued codes (only their hashes): written by registration and resend, read here."""

    list_display = ("user_link", "created_at", "expires_at", "attempts", "used_at")
    list_filter = (("used_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    fields = ("user_link", "created_at", "expires_at", "attempts", "used_at")
    readonly_fields = fields

    @admin.display(description="user", ordering="user__username")
    def user_link(self, confirmation: EmailConfirmation) -> str:
        return link(confirmation.user)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The mail outbox, read-only: written by the services, delivered by tasks. Bodies are never shown (codes)."""

    list_display = ("id", "to", "subject", "created_at", "attempts", "next_attempt_at", "sent_at", "given_up_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), ("given_up_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("to", "subject")
    fields = ("to", "subject", "created_at", "attempts", "next_attempt_at", "sent_at", "given_up_at", "last_error")
    readonly_fields = fields
    actions = ["deliver_now"]

    @admin.action(description="Deliver selected pending mail now", permissions=["view"])
    def deliver_now(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        pending = queryset.filter(sent_at__isnull=True, given_up_at__isnull=True).values_list("pk", flat=True)
        enqueued = sum(enqueue_delivery(pk) for pk in pending)
        self.message_user(request, f"{enqueued} message(s) handed to the delivery queue.")


def _revoke_from_inline(request: HttpRequest, formset: Any) -> int:
    revoked = 0
    for form in formset.forms:
        session = form.instance
        if form.cleaned_data.get("revoke") and session.pk and session.revoked_at is None:
            session_revoke(session=session)
            revoked += 1
    return revoked

import functools
from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import (
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from accounts.authentication import SESSION_CLAIM, current_session
from accounts.models import User, UserSession
from accounts.selectors import session_is_active
from common.fields import StrictCharField, StrictEmailField, StrictRegexField
from common.representation import absolute_url

DEFAULT_AVATAR = "accounts/default-user-image.svg"


@functools.cache
def _default_avatar_url() -> str:
    return static(DEFAULT_AVATAR)


@receiver(setting_changed)
def _forget_default_avatar_url(**kwargs: Any) -> None:
    _default_avatar_url.cache_clear()


def absolute_media_url(request: Any, file_field: Any) -> str:
    """An absolute URL for an uploaded image, or the default avatar when there is none."""
    return absolute_url(request, file_field.url if file_field else _default_avatar_url())


class RegisterInputSerializer(serializers.Serializer):
    username = StrictRegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = StrictEmailField(max_length=254)
    password = StrictCharField(write_only=True, max_length=128, style={"input_type": "password"})
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    patronymic = StrictCharField(max_length=150, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_null=True, allow_blank=True)
    address = StrictCharField(max_length=255, required=False, allow_blank=True)
    about = StrictCharField(max_length=5000, required=False, allow_blank=True)


#: Fields other apps show on `/api/auth/me/`, after `about`: name → a factory of a read-only serializer field that
#: reads the user. The marketplace adds the executor's level, balls and rating (`reviews.apps`), so this shared
#: app does not depend on it.
ME_EXTRA_FIELDS: dict[str, Callable[[], serializers.Field]] = {}


def register_me_fields(**factories: Callable[[], serializers.Field]) -> None:
    """Show more of the user on `/api/auth/me/` (call from an AppConfig's `ready()`)."""
    ME_EXTRA_FIELDS.update(factories)


class MeOutputSerializer(serializers.ModelSerializer):
    avatar = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
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
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        own = super().get_fields()
        fields: dict[str, serializers.Field] = {}
        for name, field in own.items():
            fields[name] = field
            if name == "about":
                fields.update((extra, factory()) for extra, factory in ME_EXTRA_FIELDS.items())
        return fields

    def get_avatar(self, obj: User) -> str:
        return absolute_media_url(self.context.get("request"), obj.avatar)


class MeUpdateInputSerializer(serializers.Serializer):
    first_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    last_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    patronymic = StrictCharField(max_length=150, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_null=True, allow_blank=True)
    address = StrictCharField(max_length=255, required=False, allow_blank=True)
    about = StrictCharField(max_length=5000, required=False, allow_blank=True)
    avatar = serializers.ImageField(required=False, allow_null=True)


class ConfirmEmailInputSerializer(serializers.Serializer):
    email = StrictEmailField()
    code = StrictRegexField(r"^\d{6}$", error_messages={"invalid": "Enter the 6-digit code."})


class ResendConfirmationInputSerializer(serializers.Serializer):
    email = StrictEmailField()


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenObtainInputSerializer(serializers.Serializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, style={"input_type": "password"})


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class AccessTokenOutputSerializer(serializers.Serializer):
    """What a refresh answers: simplejwt's serializer would document its input `refresh` as output too."""

    access = serializers.CharField()


class SessionRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, refused once the token's session is revoked."""

    refresh = StrictCharField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        if not session_is_active(
            session_id=refresh.get(SESSION_CLAIM),
            user_id=refresh.get(jwt_settings.USER_ID_CLAIM),
        ):
            raise InvalidToken("Token's session has been revoked")
        return super().validate(attrs)


SessionRefreshSerializer.token_class = RefreshToken


class SessionVerifySerializer(TokenVerifySerializer):
    """simplejwt's verify, and the token's session must still be active."""

    token = StrictCharField(write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[Any, Any]:
        data = super().validate(attrs)
        token = UntypedToken(attrs["token"])
        if not session_is_active(
            session_id=token.get(SESSION_CLAIM),
            user_id=token.get(jwt_settings.USER_ID_CLAIM),
        ):
            raise InvalidToken("Token's session has been revoked")
        return data


class SessionOutputSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = UserSession
        fields = (
            "id",
            "user_agent",
            "ip_address",
            "created_at",
            "last_seen_at",
            "revoked_at",
            "active",
            "current",
        )
        read_only_fields = fields

    def get_current(self, obj: UserSession) -> bool:
        current = current_session(self.context["request"].user)
        return current is not None and current.pk == obj.pk

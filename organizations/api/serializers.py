"""Organization shapes of document 001. Output serializers build plain dicts (lean on 30-row lists);
their declared fields describe the same shapes to OpenAPI."""

from typing import Any

from rest_framework import serializers

from accounts.api.serializers import absolute_media_url
from accounts.models import User
from common.fields import StrictCharField, StrictEmailField, StrictSlugRelatedField
from common.representation import iso_datetime
from organizations.models import Client, Membership, Organization, Role, Service

datetime_data = iso_datetime


def user_data(user: User, request: Any) -> dict[str, Any]:
    """A user as document 001 shows one: name/surname/image are first_name/last_name/avatar."""
    return {
        "id": user.pk,
        "surname": user.last_name,
        "name": user.first_name,
        "patronymic": user.patronymic,
        "address": user.address,
        "email": user.email,
        "phone": user.phone,
        "image": absolute_media_url(request, user.avatar),
        "confirmed_email": user.confirmed_email,
        "confirmed_phone": user.confirmed_phone,
        "created_at": datetime_data(user.created_at),
        "updated_at": datetime_data(user.updated_at),
    }


def organization_data(organization: Organization, request: Any) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": organization.name,
        "description": organization.description,
        "address": organization.address,
        "creator": user_data(organization.creator, request),
        "created_at": datetime_data(organization.created_at),
        "numbers": organization.numbers,
        "links": organization.links,
        "updated_at": datetime_data(organization.updated_at),
    }


def service_data(service: Service, request: Any, organization: Organization | None = None) -> dict[str, Any]:
    """`organization`, when the caller already holds the service's organization, saves loading it again."""
    if organization is None or organization.pk != service.organization_id:
        organization = service.organization
    return {
        "id": service.pk,
        "name": service.name,
        "address": service.address,
        "phone": service.phone,
        "organization": organization_data(organization, request),
        "created_at": datetime_data(service.created_at),
        "updated_at": datetime_data(service.updated_at),
    }


class _LeanOutputSerializer(serializers.Serializer):
    def to_representation(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError


class OrganizationUserOutputSerializer(_LeanOutputSerializer):
    id = serializers.IntegerField()
    surname = serializers.CharField()
    name = serializers.CharField()
    patronymic = serializers.CharField()
    address = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField(allow_null=True)
    image = serializers.URLField(help_text="Absolute URL; a default avatar when none was uploaded.")
    confirmed_email = serializers.BooleanField()
    confirmed_phone = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: User) -> dict[str, Any]:
        return user_data(instance, self.context.get("request"))


class OrganizationOutputSerializer(_LeanOutputSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    address = serializers.CharField()
    creator = OrganizationUserOutputSerializer()
    created_at = serializers.DateTimeField()
    numbers = serializers.DictField(child=serializers.CharField())
    links = serializers.DictField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        return organization_data(instance, self.context.get("request"))


class ServiceOutputSerializer(_LeanOutputSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    organization = OrganizationOutputSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: Service) -> dict[str, Any]:
        return service_data(instance, self.context.get("request"))


class ClientOutputSerializer(serializers.ModelSerializer):
    email = StrictEmailField(read_only=True, allow_blank=True, help_text="Empty when the client has none.")

    class Meta:
        model = Client
        fields = ("id", "name", "phone", "email", "organization", "created_at", "updated_at")
        read_only_fields = fields


class RoleOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ("id", "name", "can_view", "can_create", "can_change", "can_delete")
        read_only_fields = fields


class MembershipOutputSerializer(_LeanOutputSerializer):
    user = OrganizationUserOutputSerializer()
    role = RoleOutputSerializer()
    created_at = serializers.DateTimeField()

    def to_representation(self, instance: Membership) -> dict[str, Any]:
        role = instance.role
        return {
            "user": user_data(instance.user, self.context.get("request")),
            "role": {
                "id": role.pk,
                "name": role.name,
                "can_view": role.can_view,
                "can_create": role.can_create,
                "can_change": role.can_change,
                "can_delete": role.can_delete,
            },
            "created_at": datetime_data(instance.created_at),
        }


class OrganizationCreateInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    description = StrictCharField(max_length=10_000, required=False, allow_blank=True, default="")
    address = StrictCharField(max_length=255, required=False, allow_blank=True, default="")
    numbers = serializers.DictField(
        child=StrictCharField(max_length=64), required=False, default=dict, help_text='e.g. {"main": "+7..."}'
    )
    links = serializers.DictField(
        child=StrictCharField(max_length=255), required=False, default=dict, help_text='e.g. {"vk": "vk.com"}'
    )

    def validate_numbers(self, value: dict[str, str]) -> dict[str, str]:
        return _contacts(value, what="numbers")

    def validate_links(self, value: dict[str, str]) -> dict[str, str]:
        return _contacts(value, what="links")


def _contacts(value: dict[str, str], *, what: str) -> dict[str, str]:
    """Contact maps are small: at most 20 entries named by short, printable keys."""
    if len(value) > 20:
        raise serializers.ValidationError(f"At most 20 {what}.")
    for key in value:
        if not 0 < len(key) <= 64 or "\x00" in key:
            raise serializers.ValidationError("Keys are 1 to 64 characters, without NUL characters.")
    return value


class OrganizationUpdateInputSerializer(OrganizationCreateInputSerializer):
    """Every field optional (PATCH)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class MembershipCreateInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    role = StrictSlugRelatedField(slug_field="name", queryset=Role.objects.all())


class MembershipUpdateInputSerializer(serializers.Serializer):
    role = StrictSlugRelatedField(slug_field="name", queryset=Role.objects.all())


class ServiceInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    address = StrictCharField(max_length=255, required=False, allow_blank=True, default="")
    phone = StrictCharField(max_length=32, required=False, allow_blank=True, default="")


class ClientInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True, default="")
    email = StrictEmailField(required=False, allow_blank=True, default="")

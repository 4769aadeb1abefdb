"""What the organization services refuse, each with a stable code (rendered as `{"detail", "code"}`)."""

from enum import StrEnum

from common.errors import ApplicationError, CommonErrorCode, ConflictError, NotFoundError, PermissionDeniedError


class OrganizationErrorCode(StrEnum):
    CREATOR_MEMBERSHIP = "creator_membership"
    ALREADY_MEMBER = "already_member"
    IN_USE = "in_use"
    ROLE_BEYOND_RIGHTS = "role_beyond_rights"


class CreatorMembershipError(ApplicationError):
    MESSAGE = "The organization's creator stays its owner: their membership cannot be changed or removed."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.CREATOR_MEMBERSHIP, self.MESSAGE)


class AlreadyMemberError(ConflictError):
    MESSAGE = "This user is already a member of the organization."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.ALREADY_MEMBER, self.MESSAGE)


class InUseError(ConflictError):
    MESSAGE = "Orders refer to this object; it cannot be deleted."

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.IN_USE, self.MESSAGE)


class RoleBeyondRightsError(PermissionDeniedError):
    """Nobody hands out, or takes away, a role with rights they do not hold (the message is the usual 403's)."""

    def __init__(self) -> None:
        super().__init__(OrganizationErrorCode.ROLE_BEYOND_RIGHTS)


class ObjectNotFoundError(NotFoundError):
    """No such object in this organization; worded as Django's 404 for the model."""

    def __init__(self, model_name: str) -> None:
        super().__init__(CommonErrorCode.NOT_FOUND, self.message_for(model_name))

    @staticmethod
    def message_for(model_name: str) -> str:
        return f"No {model_name} matches the given query."

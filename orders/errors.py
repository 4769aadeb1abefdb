"""What the order services refuse, each with a stable code.

Document 001 answers a refusal about the body as `{field: [message]}`: the services name each offending field
with its message (`fields`), worded as the API has always worded them.
"""

from enum import StrEnum

from common.errors import ApplicationError


class OrderErrorCode(StrEnum):
    CREATOR_NOT_REQUESTER = "creator_not_requester"
    EXECUTOR_NOT_MEMBER = "executor_not_member"
    CLIENT_NOT_IN_ORGANIZATION = "client_not_in_organization"
    SERVICE_NOT_IN_ORGANIZATION = "service_not_in_organization"


CREATOR_NOT_REQUESTER = "The creator must be the requester."
# `{pk_value}`: the id, as DRF's related fields format theirs (the input serializers word an unknown id the same)
EXECUTOR_NOT_MEMBER = "User {pk_value} is not a member of the organization."
CLIENT_NOT_IN_ORGANIZATION = "Client {pk_value} does not belong to the organization."
SERVICE_NOT_IN_ORGANIZATION = "Service {pk_value} does not belong to the organization."


class OrderRuleViolation:
    """One broken rule: the input field it is about, its code and message."""

    __slots__ = ("code", "field", "message")

    def __init__(self, field: str, code: OrderErrorCode, message: str) -> None:
        self.field = field
        self.code = code
        self.message = message


class OrderRulesError(ApplicationError):
    """The order's people or objects break the organization's rules (400). Every broken rule is listed in
    `fields`, in the order of the input; the code and message are the first one's."""

    def __init__(self, violations: list[OrderRuleViolation]) -> None:
        first = violations[0]
        super().__init__(first.code, first.message, fields={v.field: [v.message] for v in violations})

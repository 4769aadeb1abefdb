"""What the account services refuse, each with a stable code (rendered as `{"detail", "code"[, "fields"]}`)."""

from enum import StrEnum

from common.errors import ApplicationError, CommonErrorCode, NotFoundError


class AccountsErrorCode(StrEnum):
    WEAK_PASSWORD = "weak_password"
    USERNAME_TAKEN = "username_taken"
    EMAIL_TAKEN = "email_taken"
    INVALID_CONFIRMATION_CODE = "invalid_code"


class WeakPasswordError(ApplicationError):
    """Django's password validators refused the password; their messages go under `fields.password`."""

    MESSAGE = "The password is too weak."

    def __init__(self, messages: list[str]) -> None:
        super().__init__(AccountsErrorCode.WEAK_PASSWORD, self.MESSAGE, fields={"password": messages})


class AccountTakenError(ApplicationError):
    """Another account already has this username or email (compared case-insensitively for emails)."""

    def __init__(self, field: str) -> None:
        message = f"A user with that {field} already exists."
        code = AccountsErrorCode.EMAIL_TAKEN if field == "email" else AccountsErrorCode.USERNAME_TAKEN
        super().__init__(code, message, fields={field: [message]})


class InvalidConfirmationCodeError(ApplicationError):
    """Wrong, expired, spent or unknown: one answer, so the code does not tell which accounts exist."""

    MESSAGE = "The code is invalid or has expired."

    def __init__(self) -> None:
        super().__init__(AccountsErrorCode.INVALID_CONFIRMATION_CODE, self.MESSAGE, fields={"code": [self.MESSAGE]})


class SessionNotFoundError(NotFoundError):
    """No such session, or another user's: the same answer for both."""

    MESSAGE = "Not found."

    def __init__(self) -> None:
        super().__init__(CommonErrorCode.NOT_FOUND, self.MESSAGE)

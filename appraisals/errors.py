"""What the appraisal services, selectors and JSON Patches refuse, each with a stable code.

Document 003 follows document 001's bodies (`common.exceptions.DOCUMENT_001`): `{"detail": message}`, and
`{field: [messages]}` for the errors that carry `fields`. Field names are the wire's camelCase ones.
"""

from enum import StrEnum

from common.errors import ApplicationError, ConflictError, NotFoundError


class AppraisalErrorCode(StrEnum):
    APPRAISAL_NOT_FOUND = "appraisal_not_found"
    PARTICIPANT_NOT_FOUND = "participant_not_found"
    DUPLICATE_EXTERNAL_ID = "duplicate_external_id"
    APPRAISAL_HAS_PARTICIPANTS = "appraisal_has_participants"
    INVALID_PATCH = "invalid_patch"
    PATCH_TEST_FAILED = "patch_test_failed"
    PATCH_CONFLICT = "patch_conflict"


APPRAISAL_NOT_FOUND = "Appraisal not found."
PARTICIPANT_NOT_FOUND = "Participant not found."
DUPLICATE_APPRAISAL_EXTERNAL_ID = "An appraisal with this externalId already exists."
DUPLICATE_PARTICIPANT_EXTERNAL_ID = "An appraisal participant with this externalId already exists."
APPRAISAL_HAS_PARTICIPANTS = "The appraisal has participants (deleted ones included) and cannot be deleted."


class AppraisalNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__(AppraisalErrorCode.APPRAISAL_NOT_FOUND, APPRAISAL_NOT_FOUND)


class ParticipantNotFoundError(NotFoundError):
    """No such participant in this appraisal, or a deleted one (status 5 is never found)."""

    def __init__(self) -> None:
        super().__init__(AppraisalErrorCode.PARTICIPANT_NOT_FOUND, PARTICIPANT_NOT_FOUND)


class DuplicateExternalIdError(ApplicationError):
    """A 400 on the externalId field: another appraisal, or another participant not deleted, holds it."""

    def __init__(self, message: str) -> None:
        super().__init__(AppraisalErrorCode.DUPLICATE_EXTERNAL_ID, message, fields={"externalId": [message]})


class AppraisalInUseError(ConflictError):
    """Participants are never lost: an appraisal that ever had one (deleted ones included) stays."""

    def __init__(self) -> None:
        super().__init__(AppraisalErrorCode.APPRAISAL_HAS_PARTICIPANTS, APPRAISAL_HAS_PARTICIPANTS)


class InvalidPatchError(ApplicationError):
    """A malformed JSON Patch document: a 400 listing every problem under `patch`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(AppraisalErrorCode.INVALID_PATCH, "Invalid JSON Patch.", fields={"patch": problems})


class PatchTestFailedError(ConflictError):
    def __init__(self, message: str) -> None:
        super().__init__(AppraisalErrorCode.PATCH_TEST_FAILED, message)


class PatchConflictError(ConflictError):
    def __init__(self, message: str) -> None:
        super().__init__(AppraisalErrorCode.PATCH_CONFLICT, message)

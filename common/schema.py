"""The OpenAPI side of the HTTP conventions handlers opt into with a decorator: `Idempotency-Key`
(`common.idempotency.idempotent`) and `ETag` / `If-Match` (`common.conditional.with_etag`, `if_match`).

Views set `schema = ConventionsAutoSchema()`; each operation whose handler carries a mark gets its request and
answer headers and its extra answers (400/409/422 for a key, 412 for a stale `If-Match`) in the error contract of
the view, next to what the app's `api/openapi.py` declares for it.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from common import conditional, idempotency
from common.openapi import ProductErrorSerializer
from common.openapi import _Detail as DetailSerializer

SUCCESS_CODES = [200, 201]

IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=f"^[ -~]{{1,{idempotency.MAX_LENGTH}}}$",
    description=(
        "Optional; 1 to 255 printable ASCII characters, unique per request you mean (a UUID is a good key). The "
        "first answer is stored for 24 hours per user and key and replayed byte for byte, with "
        "`Idempotent-Replayed: true`, to every retry with the same key; the same key with another method, path or "
        "body is 422; a retry sent while the first is still running waits for it and gets its answer. 400 and 5xx "
        "answers are not stored: a retry with the key runs again."
    ),
)
REPLAYED = OpenApiParameter(
    idempotency.REPLAYED_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=SUCCESS_CODES,
    description="`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
)
IF_MATCH = OpenApiParameter(
    conditional.IF_MATCH,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional; the `ETag` of the representation you read (or `*`). The write is applied only if the resource "
        "still has it, checked under the row lock the write takes; otherwise 412 and nothing changes. Without the "
        "header the write is applied as before."
    ),
)
ETAG = OpenApiParameter(
    conditional.ETAG,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=SUCCESS_CODES,
    description="Strong ETag of the resource's current representation (as its GET answers it); send it back "
    "in `If-Match` to change the resource only if nobody changed it since.",
)


def _error(view: Any, description: str, code: str, message: str, name: str) -> OpenApiResponse:
    """An answer in the view's error contract: `{"detail", "code"}` (product) or document 001's `{"detail"}`."""
    if getattr(getattr(view, "error_contract", None), "name", "") == "product":
        value: dict[str, Any] = {"detail": message, "code": code}
        return OpenApiResponse(
            ProductErrorSerializer, f"{description} Code: `{code}`.", [OpenApiExample(name, value, response_only=True)]
        )
    return OpenApiResponse(
        DetailSerializer, description, [OpenApiExample(name, {"detail": message}, response_only=True)]
    )


class ConventionsAutoSchema(AutoSchema):
    def _handler(self) -> Any:
        action = getattr(self.view, "action", None) or self.method.lower()
        return getattr(self.view, action, None)

    def _marked(self, mark: str) -> bool:
        return bool(getattr(self._handler(), mark, False))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._marked(idempotency.MARK):
            parameters += [IDEMPOTENCY_KEY, REPLAYED]
        if self._marked(conditional.MARK_IF_MATCH):
            parameters += [IF_MATCH, ETAG]
        elif self._marked(conditional.MARK_GET):
            parameters.append(ETAG)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        extra: dict[int, OpenApiResponse] = {}
        if self._marked(idempotency.MARK):
            extra[400] = _error(
                self.view,
                "The Idempotency-Key header is not 1 to 255 printable ASCII characters; nothing ran.",
                idempotency.IdempotencyErrorCode.KEY_INVALID,
                idempotency.KEY_INVALID_MESSAGE,
                "Bad Idempotency-Key",
            )
            extra[409] = _error(
                self.view,
                "A request with this Idempotency-Key is still running after a wait; retry shortly.",
                idempotency.IdempotencyErrorCode.KEY_IN_USE,
                idempotency.KEY_IN_USE_MESSAGE,
                "Key in use",
            )
            extra[422] = _error(
                self.view,
                "The Idempotency-Key was already used with another request (method, path or body); nothing ran.",
                idempotency.IdempotencyErrorCode.KEY_REUSED,
                idempotency.KEY_REUSED_MESSAGE,
                "Key reused",
            )
        if self._marked(conditional.MARK_IF_MATCH):
            extra[412] = _error(
                self.view,
                "If-Match does not match the resource's current ETag; nothing changed.",
                conditional.PRECONDITION_FAILED,
                conditional.PRECONDITION_FAILED_MESSAGE,
                "Stale ETag",
            )
        for code, response in extra.items():
            if str(code) in responses:
                _add_examples(responses[str(code)], self._get_response_for_code(response, str(code)))
            else:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return responses


def _add_examples(existing: dict[str, Any], extra: dict[str, Any]) -> None:
    """The operation declares this status already: keep its body, add the convention's example and say when."""
    for media_type, content in extra.get("content", {}).items():
        target = existing.setdefault("content", {}).setdefault(media_type, {})
        target.setdefault("examples", {}).update(content.get("examples", {}))
    description = extra.get("description", "")
    if description and description not in existing.get("description", ""):
        existing["description"] = f"{existing.get('description', '')} Or: {description}".strip()

"""One small state-machine helper shared by every machine of the product.

An app declares its machine once, as a table `{who_or_action: {from_state: {to_state, ...}}}`, and moves
rows only through `StateMachine.move`, under the row lock its service already holds:

    REVIEW_MACHINE = StateMachine(
        name="response",
        table={"customer": {"looked": {"accepted", "rejected"}}, ...},
        error_code=ReviewErrorCode.INVALID_TRANSITION,
    )
    from_status = REVIEW_MACHINE.move(review, by="customer", to="accepted", record=write_history_row)

`move` checks the table, sets the state field, saves it (with any other fields the caller changed and the
`auto_now` ones) and calls `record(from_state)` to write the history row in the same transaction.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models

from common.errors import CommonErrorCode, TransitionNotAllowedError


class StateMachine:
    def __init__(
        self,
        *,
        name: str,
        table: Mapping[str, Mapping[str, Iterable[str]]],
        field: str = "status",
        error_code: str = CommonErrorCode.INVALID_TRANSITION,
        error_message: str = "A {name} cannot move from '{from_state}' to '{to_state}'.",
    ) -> None:
        self.name = name
        self.field = field
        self.table: dict[str, dict[str, frozenset[str]]] = {
            str(by): {str(src): frozenset(str(t) for t in targets) for src, targets in moves.items()}
            for by, moves in table.items()
        }
        self.error_code = error_code
        self.error_message = error_message

    def targets(self, *, by: str, from_state: str) -> frozenset[str]:
        return self.table.get(str(by), {}).get(str(from_state), frozenset())

    def allows(self, *, by: str, from_state: str, to_state: str) -> bool:
        return str(to_state) in self.targets(by=by, from_state=from_state)

    def sources(self, *, by: str) -> frozenset[str]:
        """The states `by` may move a row out of (for conditional updates and admin filters)."""
        return frozenset(src for src, targets in self.table.get(str(by), {}).items() if targets)

    def check(self, *, by: str, from_state: str, to_state: str) -> None:
        if not self.allows(by=by, from_state=from_state, to_state=to_state):
            message = self.error_message.format(name=self.name, from_state=from_state, to_state=to_state, by=by)
            raise TransitionNotAllowedError(
                self.error_code, message, from_state=str(from_state), to_state=str(to_state)
            )

    def move(
        self,
        instance: models.Model,
        *,
        by: str,
        to: str,
        also: Iterable[str] = (),
        record: Callable[[str], Any] | None = None,
    ) -> str:
        """Check and apply one move of a locked row; returns the state it left. `also` names other fields the
        caller set on the instance to be saved with it; `record(from_state)` writes the history row."""
        from_state = str(getattr(instance, self.field))
        self.check(by=by, from_state=from_state, to_state=to)
        setattr(instance, self.field, to)
        auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=list(dict.fromkeys([self.field, *also, *auto_now])))
        if record is not None:
            record(from_state)
        return from_state

    def rows(self) -> list[tuple[str, str, str]]:
        """(by, from, to) for every allowed move: for documentation tables."""
        return [
            (by, src, dst)
            for by, moves in self.table.items()
            for src, targets in moves.items()
            for dst in sorted(targets)
        ]

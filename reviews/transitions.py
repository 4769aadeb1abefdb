"""The one transition table of a response (OrderReview): who may move it from which status to which.

Services check every move against ALLOWED_TRANSITIONS under a row lock; the OpenAPI description and
the README render it with `transition_table_markdown()`.
"""

from enum import StrEnum

from common.state_machine import StateMachine
from reviews.errors import ReviewErrorCode
from reviews.models import ReviewStatus


class Actor(StrEnum):
    EXECUTOR = "executor"
    CUSTOMER = "customer"
    #: the customer cancelling the order: the only way an accepted response is rejected by them
    CANCELLATION = "customer cancels the order"


S = ReviewStatus

ALLOWED_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Actor.EXECUTOR: {
        S.LOOKED: frozenset({S.LOOKED, S.RECONCILIATION, S.REJECTED}),
        S.RECONCILIATION: frozenset({S.LOOKED, S.RECONCILIATION, S.REJECTED}),
        # withdrawing an accepted response before the work starts (its own endpoint; PATCH stays locked)
        S.ACCEPTED: frozenset({S.REJECTED}),
    },
    Actor.CUSTOMER: {
        S.LOOKED: frozenset({S.ACCEPTED, S.REJECTED}),
        S.RECONCILIATION: frozenset({S.ACCEPTED, S.REJECTED}),
        S.ACCEPTED: frozenset({S.IN_PROGRESS}),
        S.IN_PROGRESS: frozenset({S.DONE}),
    },
    # POST /api_v2/order/{id}/cancel/ before the work starts: every open or accepted response is rejected
    Actor.CANCELLATION: {
        S.LOOKED: frozenset({S.REJECTED}),
        S.RECONCILIATION: frozenset({S.REJECTED}),
        S.ACCEPTED: frozenset({S.REJECTED}),
    },
}

#: What each actor may ask for at all (anything else is a 400 on input).
EXECUTOR_TARGETS = (S.LOOKED, S.RECONCILIATION, S.REJECTED)
CUSTOMER_TARGETS = (S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.DONE)

_NOTES = {
    (Actor.EXECUTOR, S.LOOKED, S.LOOKED): "same status: only the other fields change",
    (Actor.EXECUTOR, S.RECONCILIATION, S.RECONCILIATION): "same status: only the other fields change",
    (Actor.EXECUTOR, S.ACCEPTED, S.REJECTED): (
        "withdrawn by its executor before work starts (POST /api_v2/order/review/{id}/withdraw/); the order reopens"
    ),
    (Actor.CANCELLATION, S.LOOKED, S.REJECTED): "POST /api_v2/order/{id}/cancel/: note `order cancelled: <reason>`",
    (Actor.CANCELLATION, S.RECONCILIATION, S.REJECTED): (
        "POST /api_v2/order/{id}/cancel/: note `order cancelled: <reason>`"
    ),
    (Actor.CANCELLATION, S.ACCEPTED, S.REJECTED): (
        "POST /api_v2/order/{id}/cancel/ before work starts: order.executor is cleared (in_progress or done: 409)"
    ),
    (Actor.CUSTOMER, S.LOOKED, S.ACCEPTED): "sets order.executor; every other open response becomes rejected",
    (Actor.CUSTOMER, S.RECONCILIATION, S.ACCEPTED): "sets order.executor; every other open response becomes rejected",
    (Actor.CUSTOMER, S.IN_PROGRESS, S.DONE): "needs customer_score 1..5; the order is done; executor rating = mean",
}


REVIEW_MACHINE = StateMachine(
    name="response",
    table=ALLOWED_TRANSITIONS,
    error_code=ReviewErrorCode.INVALID_TRANSITION,
    error_message="A response cannot move from '{from_state}' to '{to_state}'.",
)


def transition_rows() -> list[tuple[str, str, str, str]]:
    """(actor, from, to, note) for every allowed move, the first view's creation included."""
    rows = [("executor", "(none)", S.LOOKED.value, "created by the executor's first GET /api_v2/order/{id}/")]
    for actor, moves in ALLOWED_TRANSITIONS.items():
        for from_status, targets in moves.items():
            for to_status in sorted(targets, key=lambda s: list(S).index(S(s))):
                note = _NOTES.get((Actor(actor), S(from_status), S(to_status)), "")
                rows.append((str(actor), str(from_status), str(to_status), note))
    return rows


def transition_table_markdown() -> str:
    lines = ["| who | from | to | effect |", "|---|---|---|---|"]
    lines += [f"| {a} | {f} | {t} | {n} |" for a, f, t, n in transition_rows()]
    lines.append(
        "\nAny other move is refused with 409 and nothing changes. Once a response is rejected, accepted, "
        "in_progress or done its executor can no longer change anything on it (409). A cancelled order takes no "
        "new responses and no decisions (409)."
    )
    return "\n".join(lines)

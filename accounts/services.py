"""Every state change of accounts: registration, email confirmation, sessions."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import session_cache
from accounts.errors import AccountTakenError, InvalidConfirmationCodeError, WeakPasswordError
from accounts.mail import outgoing_email_queue
from accounts.models import EmailConfirmation, User, UserSession
from common.services import model_update

#: what a user changes on their own profile (username, email and the marketplace's scores are not among them)
PROFILE_FIELDS = ("first_name", "last_name", "patronymic", "phone", "address", "about", "avatar")


def _hash_code(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def user_register(*, username: str, email: str, password: str, **profile: Any) -> User:
    """Create an unconfirmed account and email it a confirmation code."""
    email = User.objects.normalize_email(email).lower()
    user = User(username=username, email=email, **profile)
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise WeakPasswordError(list(exc.messages)) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        field = "email" if User.objects.filter(email__iexact=email).exists() else "username"
        raise AccountTakenError(field) from exc
    email_confirmation_send(user=user)
    return user


@transaction.atomic
def email_confirmation_send(*, user: User) -> None:
    """Issue a fresh one-time code (older ones stop working); the mail outbox delivers it after commit."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    EmailConfirmation.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    EmailConfirmation.objects.create(
        user=user,
        code_hash=_hash_code(code),
        expires_at=now + timedelta(minutes=settings.EMAIL_CODE_TTL_MINUTES),
    )
    outgoing_email_queue(
        to=user.email,
        subject="Your confirmation code",
        body=f"Your email confirmation code is {code}. It expires in {settings.EMAIL_CODE_TTL_MINUTES} minutes.",
    )


def email_confirm(*, email: str, code: str) -> User:
    """Mark the email confirmed when the code matches the latest live one. Wrong tries are counted."""
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise InvalidConfirmationCodeError()
        if user.confirmed_email:
            return user
        confirmation = (
            EmailConfirmation.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if confirmation is None or confirmation.attempts >= settings.EMAIL_CODE_MAX_ATTEMPTS:
            raise InvalidConfirmationCodeError()
        if hmac.compare_digest(confirmation.code_hash, _hash_code(code)):
            confirmation.used_at = timezone.now()
            confirmation.save(update_fields=["used_at"])
            user.confirmed_email = True
            user.save(update_fields=["confirmed_email", "updated_at"])
            return user
        confirmation.attempts += 1
        confirmation.save(update_fields=["attempts"])
    raise InvalidConfirmationCodeError()


def email_confirmation_resend(*, email: str) -> None:
    """Send a new code when an unconfirmed account has this email; silent otherwise (no account probing)."""
    user = User.objects.filter(email__iexact=email, confirmed_email=False, is_active=True).first()
    if user is not None:
        email_confirmation_send(user=user)


def session_start(*, user: User, user_agent: str, ip_address: str | None) -> UserSession:
    """Open a session for a login (`accounts.tokens` signs the tokens that carry its id)."""
    return UserSession.objects.create(user=user, user_agent=user_agent[:512], ip_address=ip_address)


def session_revoke(*, session: UserSession) -> UserSession:
    """Revoke a session: its access tokens get 403 and its refresh token stops working. Idempotent."""
    UserSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    session_cache.session_revoked(session.pk)
    transaction.on_commit(lambda: session_cache.session_revoked(session.pk))  # again once every process can see it
    session.refresh_from_db(fields=["revoked_at"])
    return session


def user_update_profile(*, user: User, **fields: Any) -> User:
    """Change the profile fields given; only those that differ are written."""
    user, _ = model_update(instance=user, fields=PROFILE_FIELDS, data=fields)
    return user

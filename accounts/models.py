import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """One user for every domain. Document 001 calls first_name/last_name/avatar name/surname/image.

    The marketplace's level, balls and rating are `reviews.ExecutorProfile`, owned by the marketplace.
    """

    email = models.EmailField("email address")
    patronymic = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    avatar = models.ImageField(upload_to="avatars/", null=True, blank=True)
    about = models.TextField(blank=True)
    confirmed_email = models.BooleanField(default=False)
    confirmed_phone = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="Another user already has this email address (emails ignore case).",
            )
        ]

    def __str__(self) -> str:
        return self.username


class UserSession(models.Model):
    """A login: the refresh and access tokens issued by it carry its id in the `sid` claim."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    user_agent = models.CharField(max_length=512, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_session_user_idx")]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"session of {self.user} from {self.ip_address or 'an unknown address'} ({state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class EmailConfirmation(models.Model):
    """A one-time email code. Only its hash is stored; a new code replaces the older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_confirmations")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_confirm_user_idx")]

    def __str__(self) -> str:
        return f"code for {self.user} issued {self.created_at:%Y-%m-%d %H:%M}"


class OutgoingEmail(models.Model):
    """The mail outbox: a message written in the transaction that causes it and delivered by a task afterwards.

    A mail server that is down delays delivery (retried with backoff) and loses nothing; the body, which may
    hold a confirmation code, is dropped once the message is delivered or given up.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text="When the next delivery attempt is due.")
    leased_until = models.DateTimeField(null=True, blank=True, help_text="A delivery attempt holds it until then.")
    sent_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="accounts_email_pending_idx",
                condition=models.Q(sent_at__isnull=True, given_up_at__isnull=True),
            ),
            models.Index(fields=["to", "-created_at"], name="accounts_email_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class IdempotencyKey(models.Model):
    """The first answer to an unsafe request a user sent with an `Idempotency-Key` header, kept for 24 hours and
    replayed to every retry with the same key (`common/idempotency.py`).

    The row is written in the transaction of the operation it answers, so a key is never stored for work that
    was rolled back; its lock is what makes concurrent requests with one key run once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request's method, path and body.")
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=255, blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="Answer headers replayed too (Location, ETag).")
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "idempotency key"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="accounts_idem_user_key")]
        indexes = [models.Index(fields=["user", "expires_at"], name="accounts_idem_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.key} of {self.user_id}"

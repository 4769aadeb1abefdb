import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

ORDER_CODE_MIN = 10**14  # 15 digits
ORDER_CODE_MAX = 10**15 - 1


def generate_order_code() -> int:
    return ORDER_CODE_MIN + secrets.randbelow(ORDER_CODE_MAX - ORDER_CODE_MIN + 1)


class Order(models.Model):
    """The product's one order table.

    Organization orders (document 001) have an organization, service, client and executor.
    Marketplace orders (document 000) have a customer (the creator), no organization, and the
    marketplace fields name, price, term, deadline and customer_score.
    """

    order_code = models.BigIntegerField(unique=True, editable=False)
    description = models.TextField()
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_orders")
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="executed_orders"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="orders"
    )
    client = models.ForeignKey(
        "organizations.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    service = models.ForeignKey(
        "organizations.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    done = models.BooleanField(default=False)
    # Marketplace (document 000)
    name = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    term = models.PositiveIntegerField(null=True, blank=True, help_text="Days to do the work.")
    deadline = models.DateTimeField(null=True, blank=True)
    customer_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="orders_org_created_idx"),
            models.Index(fields=["organization", "creator", "-created_at"], name="orders_org_creator_idx"),
            models.Index(fields=["organization", "done", "-created_at"], name="orders_org_done_idx"),
            models.Index(fields=["executor", "-created_at"], name="orders_executor_idx"),
            models.Index(fields=["creator", "-created_at"], name="orders_creator_idx"),
            models.Index(
                fields=["-created_at", "-id"],
                # creator_id rides along so the feed's count ("not mine") is an index-only scan
                include=["creator"],
                condition=Q(organization__isnull=True, executor__isnull=True, done=False),
                name="orders_marketplace_open_idx",
            ),
            # the feed's price and term filters (the feed's search has a trigram index, see migration 0004)
            models.Index(
                fields=["price"],
                condition=Q(organization__isnull=True, executor__isnull=True, done=False),
                name="orders_marketplace_price_idx",
            ),
            models.Index(
                fields=["term"],
                condition=Q(organization__isnull=True, executor__isnull=True, done=False),
                name="orders_marketplace_term_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_score__isnull=True) | Q(customer_score__gte=1, customer_score__lte=5),
                name="orders_customer_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.order_code} {self.name or self.description[:40]}"

"""/metrics, the poller, the admin and the demo data."""

import io
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from partner.metrics import serve_metrics
from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange
from partner.permissions import PARTNER_API_PERMISSION
from tests.accounts.factories import UserFactory
from tests.partner.conftest import closed_port, place
from tests.partner.factories import OutboxEventFactory

pytestmark = pytest.mark.django_db


def sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_is_open_and_its_counters_move(service_client: APIClient, fake_partner) -> None:
    anonymous = Client()
    before = anonymous.get("/metrics")
    assert before.status_code == 200
    assert before["Content-Type"].startswith("text/plain")
    text = before.content.decode()
    place(service_client, 10)
    fake_partner.set_status("5001", "accepted")
    service_client.get("/v2/orders/10")
    after = anonymous.get("/metrics").content.decode()
    assert sample(after, "partnerapi_orders_created_total") == sample(text, "partnerapi_orders_created_total") + 1
    assert sample(after, 'partnerapi_status_changes_total{status_id="1"}') == (
        sample(text, 'partnerapi_status_changes_total{status_id="1"}') + 1
    )
    assert sample(after, "partnerapi_outbox_backlog") == 2  # created + status_changed, not yet published
    assert 'partnerapi_partner_request_seconds_count{call="create",outcome="ok"}' in after


def test_worker_processes_serve_metrics_on_their_port() -> None:
    port = closed_port()
    server = serve_metrics(port)
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    assert "partnerapi_outbox_publish_failures_total" in response.text


def _in_process(code: str, metrics_dir: Path) -> str:
    """Run `code` in a fresh Python process, as a gunicorn worker would, with multiprocess metrics on."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_metrics_of_several_worker_processes_are_merged(tmp_path: Path) -> None:
    from config import gunicorn

    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "stale_from_last_run.db").write_bytes(b"x")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        gunicorn.on_starting(server=None)  # the master empties what an earlier run left
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
    assert list(metrics_dir.iterdir()) == []

    for _worker in range(2):
        _in_process(
            "from partner import metrics; metrics.ORDERS_CREATED.inc(); metrics.OUTBOX_BACKLOG.set(4)", metrics_dir
        )
    text = _in_process("from partner import metrics; print(metrics.render_latest().decode())", metrics_dir)

    assert sample(text, "partnerapi_orders_created_total") == 2
    assert sample(text, "partnerapi_outbox_backlog") == 4


def test_poll_refreshes_open_orders_only(service_client: APIClient, fake_partner) -> None:
    place(service_client, 10)
    place(service_client, 11)
    place(service_client, 12)
    fake_partner.set_status("5001", "delivery")
    fake_partner.set_status("5003", "done")
    out = io.StringIO()
    call_command("partner_poll", "--once", stdout=out)
    assert "Checked 3, changed 3, failed 0." in out.getvalue()  # items arrive with the first read
    statuses = dict(PartnerOrder.objects.values_list("order_id", "status_id"))
    assert statuses == {10: 1, 11: 0, 12: 2}
    assert PartnerOrderStatusChange.objects.filter(source="poll").count() == 2
    # order 12 is done: no longer polled
    fake_partner.requests.clear()
    call_command("partner_poll", "--once", stdout=out)
    assert fake_partner.calls("/orders-data") == 2


def test_the_fake_partner_moves_statuses_on(service_client: APIClient, fake_partner) -> None:
    fake_partner.advance_on_read = True
    place(service_client, 10)
    seen = [service_client.get("/v2/orders/10").json()["their_status_id"] for _ in range(6)]
    assert seen == ["created", "accepted", "delivery", "in_shop", "done", "done"]
    assert PartnerOrder.objects.get(order_id=10).status_id == 2


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partner/partnerorder/",
        "/admin/partner/partnerorderstatuschange/",
        "/admin/partner/outboxevent/",
    ],
)
def test_admin_changelists_render(client: Client, url: str) -> None:
    OutboxEventFactory.create_batch(2)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url, {"q": "9"}).status_code == 200


def test_admin_order_page_shows_history(client: Client, service_client: APIClient, fake_partner) -> None:
    place(service_client, 10)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    order = PartnerOrder.objects.get()
    response = client.get(f"/admin/partner/partnerorder/{order.pk}/change/")
    assert response.status_code == 200
    assert b"order placed" in response.content  # the history inline
    assert OutboxEvent.objects.count() == 1


def test_seed_demo_twice_sets_up_the_service_account() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(username="partner-service")
    assert user.has_perm(PARTNER_API_PERMISSION)
    assert user.groups.filter(name="partner-integration").count() == 1


@pytest.mark.parametrize("model", [PartnerOrder, PartnerOrderStatusChange, OutboxEvent])
def test_the_admin_is_view_only_even_for_a_superuser(rf, model: type) -> None:
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_admin_order_page_is_read_only_and_refuses_edits_and_deletes(
    client: Client, service_client: APIClient, fake_partner
) -> None:
    # given: a placed order, with its created event pending in the outbox
    place(service_client, 10)
    order = PartnerOrder.objects.get()
    event = OutboxEvent.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/partner/partnerorder/{order.pk}/change/"
    # when: the page is opened
    page = client.get(url)
    # then: the partner's state is shown, with no input for it and no save button
    assert page.status_code == 200
    content = page.content.decode()
    for name in ("status_id", "their_order_id", "their_status_id", "their_items", "order_id", "items"):
        assert f'name="{name}"' not in content
    assert 'name="_save"' not in content
    assert order.their_order_id in content
    # and edits, deletes and hand-made outbox events are refused
    edited = {"order_id": order.order_id, "their_order_id": "1", "status_id": 3, "their_status_id": "cancelled"}
    assert client.post(url, edited).status_code == 403
    assert client.post(f"/admin/partner/partnerorder/{order.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/partner/partnerorder/add/").status_code == 403
    assert client.post(f"/admin/partner/outboxevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/partner/outboxevent/add/").status_code == 403
    assert client.get("/admin/partner/partnerorderstatuschange/add/").status_code == 403
    changelist = client.post(
        "/admin/partner/outboxevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert changelist.status_code in (200, 302)
    # nothing changed
    order.refresh_from_db()
    assert (order.status_id, order.their_status_id) == (0, "created")
    assert list(OutboxEvent.objects.values_list("pk", "sent_at")) == [(event.pk, None)]


def _index_leads(model: type) -> set[str]:
    """Fields some index of the model starts with (unique fields and foreign keys have their own index)."""
    leads = {index.fields[0].lstrip("-") for index in model._meta.indexes if index.condition is None}
    return leads | {f.name for f in model._meta.fields if f.unique or f.is_relation}


# Filters that need no index of their own: a handful of values each (the list's ordering index serves them), or,
# for the outbox's sent_at empty / not empty and orders whose placement is unknown, the partial indexes of pending
# events and of unknown orders.
UNINDEXED_FILTERS = {
    PartnerOrder: {"order_type", "api_version", "placement"},
    PartnerOrderStatusChange: set(),
    OutboxEvent: {"event_type", "sent_at"},
}


@pytest.mark.parametrize("model", list(UNINDEXED_FILTERS))
def test_the_admin_lists_order_and_filter_on_indexed_fields(model: type) -> None:
    model_admin = admin.site._registry[model]
    ordering = model._meta.ordering[0].lstrip("-")
    filters = {f if isinstance(f, str) else f[0] for f in model_admin.list_filter} - UNINDEXED_FILTERS[model]
    wanted = {ordering, *filters} | ({model_admin.date_hierarchy} if model_admin.date_hierarchy else set())
    assert wanted <= _index_leads(model)

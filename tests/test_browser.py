"""The docs and the admin in a real browser (Debian's Chromium driven by Playwright) against a live server with the
demo data: Swagger UI authorizes with a demo token and executes a call, ReDoc renders, the admin finds a user by
email; no console error and no request leaves this machine (every other host is refused and recorded)."""

import io
import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DEMO_PASSWORD = "demo-pass-2024"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"no Chromium at {CHROMIUM} (Debian's chromium package; .ci/run installs it)",
)


class Recorder:
    """Every request the page makes, the ones refused because they leave this machine, and console errors."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.external: list[str] = []
        self.console_errors: list[str] = []

    def on_request(self, request) -> None:  # type: ignore[no-untyped-def]
        self.requests.append(request.url)

    def route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def demo_server(live_server) -> str:  # type: ignore[no-untyped-def]
    """The live server with `make run`'s demo data."""
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def browser_page(demo_server: str) -> Iterator[tuple[object, Recorder]]:
    # Started after the database work: Playwright's sync API runs an event loop in this thread, where Django
    # refuses ORM calls.
    from playwright.sync_api import sync_playwright

    recorder = Recorder()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context()
        context.route("**/*", recorder.route)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("request", recorder.on_request)
        page.on("console", recorder.on_console)
        page.on("pageerror", lambda error: recorder.console_errors.append(f"page error: {error}"))
        try:
            yield page, recorder
        finally:
            context.close()
            browser.close()


def test_docs_and_admin_work_offline_in_a_browser(demo_server: str, browser_page) -> None:  # type: ignore[no-untyped-def]
    page, recorder = browser_page

    # Swagger UI: log in as a demo user, authorize with the access token, execute "My profile"
    login = page.request.post(f"{demo_server}/api/auth/token/", data={"username": "demo", "password": DEMO_PASSWORD})
    assert login.status == 200, login.text()
    access = login.json()["access"]
    page.goto(f"{demo_server}/api/docs/")
    page.locator("button.authorize").first.click()
    page.locator(".modal-ux input").first.fill(access)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    operation = page.locator("#operations-auth-auth_me")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert '"username": "demo"' in operation.locator(".live-responses-table").inner_text()

    # ReDoc: the sidebar shows the summaries, auth first
    page.goto(f"{demo_server}/api/redoc/")
    page.get_by_role("heading", name="Orders platform API").first.wait_for()
    page.get_by_text("Log in: get access and refresh tokens").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")

    # The admin: log in as staff, search the users by email
    page.goto(f"{demo_server}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{demo_server}/admin/accounts/user/")
    page.fill("#searchbar", "org_manager@example.com")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/admin/accounts/user/?q=*")
    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    assert "org_manager" in results.first.inner_text()

    assert recorder.console_errors == []
    assert recorder.external == []
    assert recorder.requests
    assert all(urlsplit(url).hostname in LOCAL_HOSTS for url in recorder.requests if url.startswith("http"))

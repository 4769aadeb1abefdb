"""`make run`'s last words: once the server answers, where the docs and the admin are and who can log in.

Run as `python -m config.welcome BASE_URL LOGINS_FILE`; stdlib only, it polls BASE_URL/health/ for up to 60 s.
"""

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def wait_until_up(base_url: str, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def main(base_url: str, logins_file: str) -> int:
    if not wait_until_up(base_url):
        print(f"The server did not answer {base_url}/health/ within 60 s; see its output above.", flush=True)
        return 1
    logins = [line for line in Path(logins_file).read_text().splitlines() if line.startswith("  ")]
    rule = "=" * 100
    print(
        "\n".join(
            [
                "",
                rule,
                f"  The API is up: {base_url}/",
                f"  API docs (Swagger UI, try every call):  {base_url}/api/docs/",
                f"  API docs (ReDoc, to read):              {base_url}/api/redoc/",
                f"  Admin:                                  {base_url}/admin/   (log in as admin)",
                "",
                "  Demo logins (username, password, what they can do):",
                *logins,
                "",
                "  In Swagger UI: POST /api/auth/token/ with a login, copy `access`, click Authorize, paste it.",
                "  Stop with Ctrl+C.",
                rule,
                "",
            ]
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), sys.argv[2]))

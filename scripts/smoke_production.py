"""Production smoke test: the site as docs/deployment.md runs it answers with its security headers.

With DEBUG=false, a random SECRET_KEY, ALLOWED_HOSTS and a fresh, empty MEDMATCH_DATA_DIR (SQLite;
DATABASE_URL is ignored) it runs `medmatch manage check --deploy` (no warning allowed) and, at the
same time, `medmatch serve --production` (migrate, collectstatic, then gunicorn with two workers)
on a free loopback port; it requests the pages that work without a catalog as the TLS proxy would
forward them (X-Forwarded-Proto: https), checks status, security headers and static files through
whitenoise, and stops the server. Any failure exits 1 with a message saying what failed. Run by
`make test-production` (part of `make test`); most of its time is collectstatic compressing files.

    uv run python scripts/smoke_production.py
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 90
PAGES = [
    "/",
    "/catalog/programs/",
    "/catalog/hospitals/",
    "/catalog/sources/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
]
# Settings the smoke test leaves at their documented defaults, whatever the calling shell says.
CLEARED = [
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "EMAIL_HOST",
    "WEB_CONCURRENCY",
    "GUNICORN_CMD_ARGS",
]
HTML_HEADERS = {
    "Strict-Transport-Security": r"^max-age=31536000; includeSubDomains$",
    "Content-Security-Policy": r"default-src 'self'",
    "X-Content-Type-Options": r"^nosniff$",
    "Referrer-Policy": r"^same-origin$",
    "X-Frame-Options": r"^DENY$",
    "Permissions-Policy": r"camera=\(\)",
    "Cross-Origin-Opener-Policy": r"^same-origin$",
}


class SmokeFailure(Exception):
    pass


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="medmatch-smoke-") as data_dir:
        env = production_environment(Path(data_dir))
        # check --deploy runs while the server migrates and collects static files.
        check = subprocess.Popen(
            medmatch("manage", "check", "--deploy", "--fail-level", "WARNING"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        port = free_port()
        server = start_server(port, env, Path(data_dir) / "server.log")
        try:
            wait_until_answering(server, port)
            output = check.communicate(timeout=120)[0].strip()
            if check.returncode != 0:
                raise SmokeFailure(f"`medmatch manage check --deploy` found problems:\n{output}")
            print("ok   check --deploy is clean")
            check_site(port, Path(data_dir))
        except SmokeFailure as failure:
            print(f"production smoke test FAILED: {failure}", file=sys.stderr)
            print_log(Path(data_dir) / "server.log")
            return 1
        finally:
            stop_server(server)
            if check.poll() is None:
                check.kill()
            check.wait()
    print(f"production smoke test passed in {time.monotonic() - started:.1f} s")
    return 0


def production_environment(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        MEDMATCH_DATA_DIR=str(data_dir),
        SITE_URL="https://localhost",
    )
    return env


def medmatch(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "medmatch.cli", *arguments]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    arguments = ["serve", "--production", "--host", HOST, "--port", str(port), "--workers", "2"]
    with log_path.open("w") as log:
        # A session of its own, so stopping it reaches gunicorn's workers too.
        return subprocess.Popen(
            medmatch(*arguments),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_answering(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(
                f"`medmatch serve --production` exited {server.returncode} before answering "
                "(its migrate, collectstatic or gunicorn start failed; its output follows)"
            )
        try:
            with socket.create_connection((HOST, port), timeout=1):
                print(f"ok   migrate, collectstatic; gunicorn answers on {HOST}:{port}")
                return
        except OSError:
            time.sleep(0.2)
    raise SmokeFailure(f"gunicorn did not answer on {HOST}:{port} within {START_TIMEOUT_SECONDS} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def print_log(log_path: Path) -> None:
    lines = log_path.read_text(errors="replace").splitlines()[-40:]
    print("--- last lines of the server's output ---", *lines, sep="\n", file=sys.stderr)


def get(port: int, path: str, *, https: bool = True) -> tuple[int, http.client.HTTPMessage, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    # What the TLS proxy in docs/deployment.md forwards for an https request.
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"} if https else {}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
    except OSError as error:
        raise SmokeFailure(f"GET {path}: {error}") from None
    finally:
        connection.close()
    return response.status, response.headers, body


def check_site(port: int, data_dir: Path) -> None:
    home_body = ""
    for path in PAGES:
        status, headers, body = get(port, path)
        if status != 200:
            raise SmokeFailure(f"GET {path} answered {status}, not 200:\n{body[:2000]}")
        check_headers(path, headers)
        check_csp_friendly(path, body)
        if path == "/":
            home_body = body
        print(f"ok   {path} 200 with the security headers")

    status, headers, body = get(port, "/catalog/programs/999999999/")
    if status != 404:
        raise SmokeFailure(f"a missing program answered {status}, not 404:\n{body[:2000]}")
    print("ok   a missing program answers 404")

    status, headers, _ = get(port, "/accounts/login/", https=False)
    location = headers.get("Location", "")
    if status != 301 or not location.startswith("https://"):
        raise SmokeFailure(f"plain http answered {status} {location!r}, not a 301 to https://")
    print("ok   plain http is redirected to https")

    cookies = headers_of(port, "/accounts/login/").get_all("Set-Cookie") or []
    insecure = [cookie.split("=")[0] for cookie in cookies if "; Secure" not in cookie]
    if insecure:
        raise SmokeFailure(f"cookies without Secure: {', '.join(insecure)}")
    print("ok   cookies are Secure")

    check_form_post(port)
    print("ok   a form POST with its CSRF token works over https (password reset, throttled)")

    check_api(port)

    stylesheet = re.search(r'href="(/static/css/medmatch\.[0-9a-f]{12}\.css)"', home_body)
    if not stylesheet:
        raise SmokeFailure("the home page names no hashed /static/css/medmatch.<hash>.css")
    manifest = json.loads((data_dir / "static" / "staticfiles.json").read_text())["paths"]
    static_paths = [stylesheet.group(1)] + [
        f"/static/{manifest[name]}" for name in sorted(manifest) if name.startswith("vendor/")
    ]
    for path in static_paths:
        status, headers, _ = get(port, path)
        if status != 200:
            raise SmokeFailure(f"static file {path} answered {status}, not 200")
        if "immutable" not in headers.get("Cache-Control", ""):
            raise SmokeFailure(f"static file {path} is not cached as immutable by whitenoise")
        if headers.get("X-Content-Type-Options") != "nosniff":
            raise SmokeFailure(f"static file {path} lacks X-Content-Type-Options: nosniff")
    print(f"ok   {len(static_paths)} static files through whitenoise")


def check_api(port: int) -> None:
    """The JSON API's schema, its docs page (under the CSP, with ninja's bundled Swagger UI from
    our own static files, never a CDN) and its error shape."""
    status, headers, body = get(port, "/api/v1/openapi.json")
    if status != 200 or "/api/v1/applications" not in json.loads(body).get("paths", {}):
        raise SmokeFailure(f"GET /api/v1/openapi.json answered {status}:\n{body[:500]}")
    print("ok   /api/v1/openapi.json 200 with the API's paths")
    status, headers, body = get(port, "/api/v1/docs")
    if status != 200:
        raise SmokeFailure(f"GET /api/v1/docs answered {status}, not 200:\n{body[:2000]}")
    check_headers("/api/v1/docs", headers)
    check_csp_friendly("/api/v1/docs", body)
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', body)
    if not assets or any(not asset.startswith("/static/ninja/") for asset in assets):
        raise SmokeFailure(f"the API docs load files from elsewhere than /static/ninja/: {assets}")
    for asset in assets:
        if get(port, asset)[0] != 200:
            raise SmokeFailure(f"the API docs' file {asset} is not served")
    print(f"ok   /api/v1/docs 200 under the CSP, {len(assets)} Swagger UI files from /static/")
    status, headers, body = get(port, "/api/v1/applications")
    if status != 401 or json.loads(body)["error"]["code"] != "unauthenticated":
        raise SmokeFailure(f"GET /api/v1/applications without a token answered {status}: {body}")
    print("ok   the API answers 401 in its error shape without a token")


def check_form_post(port: int) -> None:
    # A real form round trip: the CSRF cookie and token, the https Referer check behind the proxy,
    # and the e-mail throttle counting in the database cache table.
    path = "/accounts/password-reset/"
    _, headers, body = get(port, path)
    cookie = next(
        (
            c.split(";")[0]
            for c in headers.get_all("Set-Cookie") or []
            if c.startswith("csrftoken=")
        ),
        "",
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not cookie or not token:
        raise SmokeFailure(f"GET {path} set no CSRF cookie or form token")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "email": "nobody@example.org"}
    )
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=form,
            headers={
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.7",
                "Cookie": cookie,
                "Referer": f"https://{HOST}:{port}{path}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        answer = response.read().decode("utf-8", errors="replace")
    except OSError as error:
        raise SmokeFailure(f"POST {path}: {error}") from None
    finally:
        connection.close()
    if response.status != 302:
        raise SmokeFailure(f"POST {path} answered {response.status}, not 302:\n{answer[:2000]}")


def headers_of(port: int, path: str) -> http.client.HTTPMessage:
    return get(port, path)[1]


def check_headers(path: str, headers: http.client.HTTPMessage) -> None:
    for name, pattern in HTML_HEADERS.items():
        value = headers.get(name)
        if value is None:
            raise SmokeFailure(f"GET {path} lacks the {name} header")
        if not re.search(pattern, value):
            raise SmokeFailure(f"GET {path}: {name}: {value!r} does not match {pattern!r}")
    policy = directives(headers["Content-Security-Policy"])
    for name, expected in [
        ("script-src", "'self'"),
        ("style-src", "'self'"),
        ("frame-ancestors", "'none'"),
    ]:
        if policy.get(name) != expected:
            raise SmokeFailure(f"GET {path}: CSP {name} is {policy.get(name)!r}, not {expected!r}")


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def check_csp_friendly(path: str, body: str) -> None:
    # The policy allows no inline script: every <script> must load a file (a JSON data block,
    # as the API docs page's settings, is not run and not blocked).
    inline = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", body)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
    handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", body)
    if inline or handlers:
        raise SmokeFailure(
            f"GET {path} has inline script the CSP blocks: {(inline + handlers)[:3]}"
        )


if __name__ == "__main__":
    sys.exit(main())

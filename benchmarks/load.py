"""Load: logged-in students, two gunicorn servers behind nginx, PostgreSQL, the worker running.

    uv run python benchmarks/load.py --postgres postgres://USER@127.0.0.1:5432/medmatch_bench
    uv run python benchmarks/load.py --postgres ... --users 50 --duration 20 --capacity-seconds 10

Everything runs on loopback (127.0.0.1) and stops when the benchmark ends, also on Ctrl-C or an
error: two app servers (gunicorn, ``--workers`` gthread workers with ``--threads`` each, in
production settings: DEBUG off, a random SECRET_KEY, collected static files), nginx with a
generated config in a temporary folder (two upstreams on one port, one upstream on another),
and ``medmatch worker``. The catalog is imported first when the database has none.

Each simulated user is a real student account (created up front with goals, four tracked
applications and a personal statement), logged in through the login form, and then, with a
think time between pages, searches the catalog (varied words, places, specialties, pages),
opens program pages, the recommendations, the application board and the statement editor, and
saves a changed statement (POST with the form's CSRF token). The load generator is the standard
library: one thread and one http.client connection per user, with its own cookies.

Phases, one run:
1. single user: each page requested alone, one after another, for its p50/p95 without load;
2. load: ``--users`` users with think time for ``--duration`` seconds against two servers:
   errors (any status outside 2xx/3xx, any exception), p50/p95 per page, and the target
   "p95 under load within 5x the single-user p95";
3. capacity: the same users with no think time, ``--capacity-seconds`` each against nginx with
   one upstream and then with two: requests per second.
"""

import argparse
import atexit
import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

LOOPBACK = "127.0.0.1"
PASSWORD = "load-benchmark-password-9f3a"
USER_PREFIX = "bench-load-"
TARGET_RATIO = 5.0
ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "internal medicine", "cardiology", "boston", "surgery", "pediatrics", "family medicine",
    "psychiatry", "new york", "toronto", "emergency", "neurology", "radiology", "california",
    "texas", "anesthesiology", "research", "university", "community hospital", "oncology", "",
]  # fmt: skip
PLACES = ["10032", "02114", "60611", "94143", "77030", "19104"]
SPECIALTIES = ["140", "320", "040", "020", "060", "400"]
CITIES = [
    (42.3601, -71.0589, "Boston, MA"),
    (40.7128, -74.0060, "New York, NY"),
    (41.8781, -87.6298, "Chicago, IL"),
    (29.7604, -95.3698, "Houston, TX"),
    (37.7749, -122.4194, "San Francisco, CA"),
]
PAGES = [
    # (name, weight) — what a student does most: search and read program pages.
    ("catalog search", 30),
    ("program page", 20),
    ("recommendations", 15),
    ("application board", 15),
    ("statement editor", 10),
    ("statement save", 10),
]

STATEMENT = (
    "I chose internal medicine during my third year, on a night in the cardiac care unit when a "
    "patient with decompensated heart failure taught me how much careful listening matters. "
    "Since then I have looked for programs that teach clinical reasoning at the bedside, value "
    "continuity clinics, and give residents real responsibility with close supervision. "
) * 3


# --- processes ----------------------------------------------------------------------------------


class Processes:
    """Every child the benchmark starts, each in its own process group, stopped at the end."""

    def __init__(self):
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        with open(log, "ab") as output:
            process = subprocess.Popen(
                command,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=ROOT,
            )
        self.children.append((name, process))
        return process

    def check(self) -> None:
        for name, process in self.children:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}")

    def stop_all(self) -> None:
        for _, process in reversed(self.children):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in reversed(self.children):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop on SIGTERM; killing it", file=sys.stderr)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.children.clear()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, processes: Processes, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes.check()
        try:
            connection = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered 200 on {LOOPBACK}:{port}{path} in {seconds:.0f} s")


def nginx_config(folder: Path, listen: int, upstreams: list[int]) -> Path:
    servers = "\n".join(f"        server {LOOPBACK}:{port};" for port in upstreams)
    # nginx creates these for its workers' user; responses are never spooled to disk (see below).
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    config = folder / f"nginx-{listen}.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {folder}/nginx-{listen}.pid;
error_log {folder}/nginx-{listen}.error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    upstream medmatch {{
{servers}
        keepalive 64;
    }}
    server {{
        listen {LOOPBACK}:{listen};
        server_name localhost;
        client_max_body_size 25m;
        location / {{
            proxy_pass http://medmatch;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
            proxy_buffers 32 16k;
            proxy_max_temp_file_size 0;
            # Which app server answered: the benchmark counts requests per server.
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
    )
    return config


# --- the database -------------------------------------------------------------------------------


def goals_for(n: int) -> dict:
    latitude, longitude, label = CITIES[n % len(CITIES)]
    first, second = SPECIALTIES[n % len(SPECIALTIES)], SPECIALTIES[(n + 1) % len(SPECIALTIES)]
    return {
        "format": "medmatch-goals/1",
        "objective": {"value": "clinical", "weight": 3},
        "specialties": {
            "interests": [{"specialty": first, "weight": 5}, {"specialty": second, "weight": 3}],
            "weight": 5,
        },
        "setting": {"value": "academic" if n % 2 else "community", "weight": 2},
        "location": {
            "places": [
                {"latitude": latitude, "longitude": longitude, "radius_km": 400, "label": label}
            ],
            "weight": 4,
        },
        "countries": {"codes": ["US", "CA"], "weight": 0, "dealbreaker": True},
        "hours": {"pace": "steady", "max_weekly_hours": 70, "weight": 2},
        "stipend": {"min_amount": 55000, "weight": 2},
    } | ({"visa": {"needed": "j1", "weight": 3}} if n % 3 == 0 else {})


def prepare_database(users: int) -> dict:
    """Migrate, import the catalog when empty, and create the students. Returns the program ids
    to browse and each user's statement id."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from medmatch.accounts.models import User
    from medmatch.applications.services import application_create, statement_create
    from medmatch.catalog.models import Program
    from medmatch.fit.goals import Goals
    from medmatch.goals.models import GoalProfile

    call_command("migrate", interactive=False, verbosity=0)
    if not Program.objects.exists():
        print("the database has no catalog; importing it (`medmatch import all`, about 30 s)")
        subprocess.run([medmatch_command(), "import", "all"], check=True, cwd=ROOT)
    programs = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"programs: {len(programs)}"
    )
    rng = random.Random(10)
    started = time.perf_counter()
    User.objects.filter(username__startswith=USER_PREFIX).delete()
    password = make_password(PASSWORD)  # once: 200 argon2 hashes would take longer than the run
    created = User.objects.bulk_create(
        User(
            username=f"{USER_PREFIX}{n:03d}",
            email=f"{USER_PREFIX}{n:03d}@example.invalid",
            password=password,
            role=User.Role.STUDENT,
        )
        for n in range(users)
    )
    for n in range(len(SPECIALTIES) * 3):
        Goals.from_dict(goals_for(n))  # the same check the questionnaire's answers pass
    GoalProfile.objects.bulk_create(
        GoalProfile(student=user, data=goals_for(n)) for n, user in enumerate(created)
    )
    statements = {}
    chosen = Program.objects.in_bulk(rng.sample(programs, 4 * len(created)))
    picks = list(chosen.values())
    for n, user in enumerate(created):
        with transaction.atomic():
            for program in picks[4 * n : 4 * n + 4]:
                application_create(student=user, program=program)
            statement = statement_create(student=user, title="Personal statement", body=STATEMENT)
        statements[user.username] = statement.pk
    print(
        f"created {len(created)} students with goals, 4 applications and a statement each "
        f"in {time.perf_counter() - started:.1f} s"
    )
    connection.close()
    return {"programs": programs, "statements": statements}


def medmatch_command() -> str:
    return str(Path(sys.executable).parent / "medmatch")


# --- the simulated browser ----------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One user's keep-alive connection and cookies, talking to nginx on loopback only."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection(LOOPBACK, port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0
        # The last statement editor page of this session: its form's CSRF token goes with a save.
        self.editor_html: bytes | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        """(status, body, seconds, upstream); raises on a transport error."""
        headers = {"Host": f"{LOOPBACK}:{self.port}", "User-Agent": "medmatch-load-benchmark"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed while the user was thinking: a
                # browser reopens it and sends again; so do we, once, and count it.
                self.connection.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in header or value in ('""', ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, content, seconds, response.getheader("X-Upstream", "")

    def csrf_token(self, html: bytes) -> str:
        match = CSRF_INPUT.search(html.decode("utf-8", "replace"))
        if not match:
            raise RuntimeError("no csrfmiddlewaretoken in the form")
        return match.group(1)

    def log_in(self, username: str) -> None:
        status, html, _, _ = self.request("GET", "/accounts/login/")
        if status != 200:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {
            "csrfmiddlewaretoken": self.csrf_token(html),
            "username": username,
            "password": PASSWORD,
        }
        status, _, _, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username}: HTTP {status}, no session")

    def to(self, port: int) -> "Browser":
        """The same session (cookies) through another nginx port: sessions live in the database."""
        other = Browser(port)
        other.cookies, other.editor_html = dict(self.cookies), self.editor_html
        return other

    def close(self) -> None:
        self.connection.close()


class Recorder:
    """Latencies per page, errors, and requests per app server, shared by the user threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.upstreams: dict[str, int] = defaultdict(int)
        self.user_upstreams: dict[str, set] = defaultdict(set)
        self.requests = 0
        self.reconnects = 0

    def absorb(self, other: "Recorder") -> None:
        for page, times in other.times.items():
            self.times[page].extend(times)
        self.errors.extend(other.errors)
        for upstream, count in other.upstreams.items():
            self.upstreams[upstream] += count
        self.requests += other.requests
        self.reconnects += other.reconnects

    def ok(self, page: str, seconds: float, upstream: str, user: str) -> None:
        with self.lock:
            self.times[page].append(seconds)
            self.upstreams[upstream] += 1
            self.user_upstreams[user].add(upstream)
            self.requests += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)
            self.requests += 1


class User:
    def __init__(self, username: str, statement: int, programs: list[int], seed: int):
        self.username = username
        self.statement = statement
        self.programs = programs
        self.rng = random.Random(seed)
        self.saves = 0

    def next_request(self, page: str) -> tuple[str, str, dict | None]:
        rng = self.rng
        if page == "catalog search":
            params = {"q": rng.choice(WORDS)}
            if rng.random() < 0.3:
                params["near"], params["radius"] = rng.choice(PLACES), rng.choice([50, 100, 300])
            if rng.random() < 0.3:
                params["specialty"] = rng.choice(SPECIALTIES)
            if rng.random() < 0.3:
                params["page"] = rng.randint(2, 4)
            return "GET", "/catalog/programs/?" + urllib.parse.urlencode(params), None
        if page == "program page":
            return "GET", f"/catalog/programs/{rng.choice(self.programs)}/", None
        if page == "recommendations":
            params = {}
            if rng.random() < 0.3:
                params["page"] = rng.randint(2, 4)
            return "GET", "/goals/" + ("?" + urllib.parse.urlencode(params) if params else ""), None
        if page == "application board":
            return "GET", "/applications/board/", None
        if page == "statement editor":
            return "GET", f"/applications/statements/{self.statement}/", None
        if page == "statement save":
            self.saves += 1
            body = STATEMENT + f"In my {self.saves} weeks of revision I learned to be specific."
            form = {"title": "Personal statement", "word_limit": "650", "body": body, "note": ""}
            return "POST", f"/applications/statements/{self.statement}/", form
        raise ValueError(f"unknown page {page!r}")


def run_user(
    user: User, browser: Browser, recorder: Recorder, stop_at: float, think: float, pages=None
) -> None:
    names, weights = zip(*PAGES, strict=True)
    sequence = iter(pages) if pages is not None else None
    if think:
        # Users arrive spread over one think time, not all in the same second.
        time.sleep(min(user.rng.uniform(0, think), max(0.0, stop_at - time.monotonic())))
    while time.monotonic() < stop_at:
        page = next(sequence, None) if sequence else user.rng.choices(names, weights)[0]
        if page is None:
            return
        try:
            if page == "statement save" and browser.editor_html is None:
                status, browser.editor_html, _, _ = browser.request(
                    "GET", f"/applications/statements/{user.statement}/"
                )
            method, path, form = user.next_request(page)
            if form is not None:
                form["csrfmiddlewaretoken"] = browser.csrf_token(browser.editor_html)
            status, content, seconds, upstream = browser.request(method, path, form)
            if not 200 <= status < 400:
                recorder.error(f"{page}: {method} {path} -> HTTP {status} {content[:120]!r}")
            elif page == "statement save" and status != 302:
                recorder.error(f"{page}: {method} {path} -> {status}, not saved (form error?)")
            else:
                recorder.ok(page, seconds, upstream, user.username)
                if page == "statement editor":
                    browser.editor_html = content
        except Exception as error:  # every failure is counted and printed
            recorder.error(f"{page}: {type(error).__name__}: {error}")
            browser.connection.close()
        if think:
            pause = min(user.rng.expovariate(1 / think), think * 4)
            time.sleep(max(0.0, min(pause, stop_at - time.monotonic())))


def log_in_everyone(port: int, users: list[User], threads: int = 8) -> list[Browser]:
    browsers: list[Browser | None] = [None] * len(users)
    failures = []

    def work(indexes):
        for i in indexes:
            try:
                browser = Browser(port)
                browser.log_in(users[i].username)
                browsers[i] = browser
            except Exception as error:
                failures.append(f"{users[i].username}: {error}")

    chunks = [range(len(users))[n::threads] for n in range(threads)]
    workers = [threading.Thread(target=work, args=(chunk,), daemon=True) for chunk in chunks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise RuntimeError(f"{len(failures)} logins failed, e.g. {failures[0]}")
    return browsers


def run_phase(users, browsers, seconds: float, think: float) -> tuple[Recorder, float]:
    recorder = Recorder()
    reconnects_before = sum(browser.reconnects for browser in browsers)
    stop_at = time.monotonic() + seconds
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=run_user, args=(user, browser, recorder, stop_at, think), daemon=True
        )
        for user, browser in zip(users, browsers, strict=True)
    ]
    for thread in threads:
        thread.start()
        time.sleep(min(0.01, think / max(len(users), 1)))  # users arrive, not all at once
    for thread in threads:
        thread.join(timeout=seconds + 300)
    elapsed = time.monotonic() - started
    recorder.reconnects = sum(browser.reconnects for browser in browsers) - reconnects_before
    return recorder, elapsed


def single_user(port: int, user: User, rounds: int) -> Recorder:
    browser = Browser(port)
    browser.log_in(user.username)
    recorder = Recorder()
    pages = [name for name, _ in PAGES] * rounds
    run_user(user, browser, recorder, time.monotonic() + 3600, 0.0, pages=pages)
    browser.close()
    return recorder


# --- the report ---------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(single: Recorder, load: Recorder, load_seconds, capacity, args) -> bool:
    ms = 1000
    print()
    print(
        f"Load: {args.users} logged-in students, think time ~{args.think:g} s (exponential), "
        f"{load_seconds:.0f} s, two app servers behind nginx, PostgreSQL, worker running"
    )
    header = (
        f"{'page':<20} {'1-user p50':>10} {'1-user p95':>10} {'requests':>9} "
        f"{'load p50':>9} {'load p95':>9} {'p95 ratio':>9}  within {TARGET_RATIO:g}x"
    )
    print(header)
    print("-" * len(header))
    all_within = True
    for page, _ in PAGES:
        alone, loaded = single.times.get(page, []), load.times.get(page, [])
        if not alone or not loaded:
            print(f"{page:<20} no samples")
            all_within = False
            continue
        alone_p95, loaded_p95 = percentile(alone, 0.95), percentile(loaded, 0.95)
        ratio = loaded_p95 / alone_p95
        within = ratio <= TARGET_RATIO
        all_within &= within
        print(
            f"{page:<20} {statistics.median(alone) * ms:>8.0f}ms {alone_p95 * ms:>8.0f}ms "
            f"{len(loaded):>9} {statistics.median(loaded) * ms:>7.0f}ms {loaded_p95 * ms:>7.0f}ms "
            f"{ratio:>8.1f}x  {'yes' if within else 'NO'}"
        )
    rate = load.requests / load_seconds
    print(
        f"{'all pages':<20} {'':>10} {'':>10} {load.requests:>9}   {rate:.1f} requests/s, "
        f"errors: {len(load.errors)}"
    )
    best = max(recorder.requests / seconds for recorder, seconds in capacity.values())
    print(
        f"offered load: {rate:.1f} requests/s = {rate / best:.0%} of the capacity measured below "
        f"({best:.1f} requests/s); queueing grows fast past ~60%"
    )
    served = {upstream: count for upstream, count in sorted(load.upstreams.items())}
    both = sum(1 for seen in load.user_upstreams.values() if len(seen) > 1)
    print(
        f"requests per app server: {served}; users served by both servers: "
        f"{both}/{len(load.user_upstreams)} (sessions and CSRF work across servers)"
    )
    print()
    print(
        f"Capacity: the same {args.users} users with no think time through nginx, "
        f"{args.capacity_seconds:g} s each (alternated twice, so drift falls on each alike)"
    )
    for label, (recorder, seconds) in capacity.items():
        p95 = percentile([t for times in recorder.times.values() for t in times] or [0], 0.95)
        print(
            f"  {label:<22} {recorder.requests / seconds:>7.1f} requests/s  "
            f"(p95 {p95 * ms:.0f} ms, errors: {len(recorder.errors)})"
        )
    one, two, one_big = (recorder.requests / seconds for recorder, seconds in capacity.values())
    print(
        f"  two servers / one server: {two / one:.2f}x; two servers / one server with as many "
        f"workers: {two / one_big:.2f}x"
    )
    cores = os.cpu_count()
    print(
        f"  This machine has {cores} cores, shared by nginx, PostgreSQL, the worker, this load "
        "generator, the app\n"
        "  servers and any other work running on it. A second server on the same cores adds no "
        "CPU. A ratio above\n"
        "  1x against one server can come from more worker processes alone (one server's workers "
        "leave CPU idle\n"
        "  while they wait on PostgreSQL, and on a busy machine more processes get a larger share "
        "of the CPU)."
    )
    if 0.85 <= two / one_big <= 1.15:
        print(
            f"  Here one server with as many workers does about as well ({two / one_big:.2f}x): "
            "whatever two servers gain over one comes from the worker count, not the second server."
        )
    else:
        print(
            f"  Here two servers and one server with as many workers differ ({two / one_big:.2f}x);"
            " on a shared machine that can be noise: rerun before reading anything into it."
        )
    print(
        f"  What {cores} cores can show is what scale-out needs, not its speed-up: no state lives "
        "in a process\n"
        "  (sessions, CSRF tokens, statement saves and caches work whichever server answers), "
        "nginx spreads the\n"
        "  load over both, and nothing fails under load. More throughput needs more cores or "
        "machines."
    )
    errors = [*load.errors, *(e for recorder, _ in capacity.values() for e in recorder.errors)]
    if errors:
        print(f"\n{len(errors)} errors (first 20):")
        for line in errors[:20]:
            print(f"  {line}")
    reconnects = load.reconnects + sum(recorder.reconnects for recorder, _ in capacity.values())
    print(
        f"\n0 errors: {'yes' if not errors else 'NO'}; every page's p95 within "
        f"{TARGET_RATIO:g}x its single-user p95: {'yes' if all_within else 'NO'}; keep-alive "
        f"connections reopened after the server closed them while idle: {reconnects}"
    )
    return not errors


# --- main ---------------------------------------------------------------------------------------


def collect_static(env: dict, folder: Path) -> None:
    done = subprocess.run(
        [medmatch_command(), "manage", "collectstatic", "--noinput", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{done.stderr[-2000:]}")


def interrupt(signum, frame):
    raise KeyboardInterrupt


def print_logs(folder: Path) -> None:
    for log in sorted(folder.glob("*.log")) + sorted(folder.glob("*.out")):
        lines = log.read_text(errors="replace").splitlines()[-15:]
        if lines:
            print(f"--- {log.name} (last lines)", file=sys.stderr)
            print("\n".join(lines), file=sys.stderr)


def check_loopback_database(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host not in {"", "127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"--postgres must be a database on this machine (loopback), not {host}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgres://USER@127.0.0.1:5432/DATABASE (its bench users are replaced)",
    )
    parser.add_argument("--users", type=int, default=200, help="simulated students (1-500)")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (5-1800)")
    parser.add_argument(
        "--think", type=float, default=30, help="mean seconds a user reads a page (default 30)"
    )
    parser.add_argument("--capacity-seconds", type=float, default=30, help="per server count")
    parser.add_argument("--single-rounds", type=int, default=20, help="single-user samples/page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    if not args.postgres.startswith(("postgres://", "postgresql://")):
        parser.error("--postgres postgres://USER@127.0.0.1:5432/DATABASE is required")
    if not 1 <= args.users <= 500 or not 5 <= args.duration <= 1800:
        parser.error("--users must be 1-500 and --duration 5-1800 seconds")
    if not 0 <= args.think <= 120 or not 5 <= args.capacity_seconds <= 600:
        parser.error("--think must be 0-120 and --capacity-seconds 5-600")
    check_loopback_database(args.postgres)
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx:
        print("nginx is not installed; run scripts/setup.sh nginx", file=sys.stderr)
        return 2

    folder = Path(tempfile.mkdtemp(prefix="medmatch-load-"))
    folder.chmod(0o755)  # nginx's workers (nobody when run as root) read and write under it
    env = {
        **os.environ,
        "DATABASE_URL": args.postgres,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDMATCH_DATA_DIR": str(folder / "data"),
        # Plain HTTP on loopback: no TLS in front, so no secure-only cookies or HTTPS redirects.
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # nginx on loopback is the trusted proxy, as docs/deployment.md sets it up.
        "TRUSTED_PROXY_IPS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "medmatch.settings",
    }
    os.environ.update(env)
    processes = Processes()
    atexit.register(processes.stop_all)
    signal.signal(signal.SIGTERM, interrupt)
    # Also when started from a shell that ignores Ctrl-C for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        data = prepare_database(args.users)
        collect_static(env, folder)
        # Two servers as deployed, and a third, alone behind its own nginx, with the workers of
        # both: it tells what a second server adds beyond simply more worker processes.
        servers = [free_port(), free_port(), free_port()]
        for n, port in enumerate(servers, 1):
            workers = args.workers * (2 if n == 3 else 1)
            processes.start(
                f"app server {n}",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "medmatch.wsgi:application",
                    "--bind",
                    f"{LOOPBACK}:{port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(args.threads),
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "5",
                    "--control-socket",
                    str(folder / f"gunicorn-{n}.ctl"),
                ],
                env,
                folder / f"server-{n}.log",
            )
        processes.start("worker", [medmatch_command(), "worker"], env, folder / "worker.log")
        two, one, one_big = free_port(), free_port(), free_port()
        for listen, upstreams in ((two, servers[:2]), (one, servers[:1]), (one_big, servers[2:])):
            config = nginx_config(folder, listen, upstreams)
            processes.start(
                f"nginx :{listen}",
                [nginx, "-p", str(folder), "-c", str(config)],
                env,
                folder / f"nginx-{listen}.out",
            )
        for port in (*servers, two, one, one_big):
            wait_until_up(port, "/catalog/programs/", processes)
        print(
            f"app servers on {LOOPBACK}:{servers[0]} and :{servers[1]} ({args.workers} gthread "
            f"workers x {args.threads} threads each) behind nginx :{two}; server 1 alone behind "
            f":{one}; a third server ({2 * args.workers} workers) behind :{one_big}; worker "
            f"running; logs in {folder}"
        )

        programs = data["programs"]
        users = [
            User(username, statement, programs, seed=n)
            for n, (username, statement) in enumerate(sorted(data["statements"].items()))
        ]
        # Warm up every worker's caches (catalog features, templates) before measuring.
        warm_users = users[: min(8, len(users))]
        warm_browsers = log_in_everyone(two, warm_users)
        for port in (two, one_big):
            run_phase(warm_users, [browser.to(port) for browser in warm_browsers], 10, 0.0)
        processes.check()

        single = single_user(two, users[0], args.single_rounds)
        print(f"single user: {single.requests} requests, errors: {len(single.errors)}")
        started = time.monotonic()
        browsers = log_in_everyone(two, users)
        print(
            f"logged in {len(browsers)} students through the login form in "
            f"{time.monotonic() - started:.0f} s; load for {args.duration:g} s ..."
        )
        load, load_seconds = run_phase(users, browsers, args.duration, args.think)
        processes.check()
        # Each arm twice, in turns: a shared machine's drift in load falls on all alike.
        arms = (
            ("nginx -> one server", one),
            ("nginx -> two servers", two),
            (f"one server, {2 * args.workers} workers", one_big),
        )
        totals = {label: [Recorder(), 0.0] for label, _ in arms}
        for _ in range(2):
            for label, port in arms:
                capacity_browsers = [browser.to(port) for browser in browsers]
                recorder, seconds = run_phase(
                    users, capacity_browsers, args.capacity_seconds / 2, 0.0
                )
                totals[label][0].absorb(recorder)
                totals[label][1] += seconds
                for browser in capacity_browsers:
                    browser.close()
                processes.check()
        capacity = {label: (recorder, seconds) for label, (recorder, seconds) in totals.items()}
        for browser in browsers:
            browser.close()
        load.errors[:0] = single.errors
        return 0 if report(single, load, load_seconds, capacity, args) else 1
    except KeyboardInterrupt:
        print("\ninterrupted; stopping the servers, nginx and the worker", file=sys.stderr)
        return 130
    except Exception:
        print_logs(folder)
        print(f"the logs are kept in {folder}", file=sys.stderr)
        folder = None
        raise
    finally:
        processes.stop_all()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""HTTP benchmark: the trainer app under gunicorn against a bare Flask page, driven by wrk.

Run from the repository root:

    .venv/bin/python benchmarks/http_bench.py [--workers 2] [--duration 10] [--connections 8] [--threads 2]
                                              [--json benchmarks/out/http.json]

One run seeds a throw-away SQLite database, starts the app and the bare baseline (benchmarks/bare_app.py)
under gunicorn with the same worker count and environment, signs in once per demo user needed, then
measures every page in PAGES with wrk and prints req/s, p50/p95 latency and the ratios app/bare.
Add a page by adding a line to PAGES.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass, replace
from http.cookies import SimpleCookie
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    name: str
    server: str  # key of SERVERS
    path: str  # may name {question}, {autosave}, {run} or {document}: pages prepared first (see prepare)
    user: str | None  # demo account signed in while measuring; None = anonymous
    method: str = "GET"
    form: str | None = None  # for POST: which prepared form body to send ("answer" or "mrz", see Prepared)


# The pages measured, in this order. Later capabilities add their pages here, one line each.
PAGES = (
    Page("bare", "bare", "/", None),  # the baseline every other row is compared with
    Page("login", "app", "/auth/login", None),
    Page("home", "app", "/", "admin"),
    Page("lesson", "app", "/learn/modules/border-indicators/lessons/why-combinations", "trainee"),
    Page("question", "app", "{question}", "trainee"),
    Page("save", "app", "{autosave}", "trainee", "POST", "answer"),  # an answer saved (autosave endpoint, JSON)
    Page("scenario", "app", "{run}", "trainee"),  # a node of an interview scenario
    Page("document", "app", "{document}", "trainee"),  # a practice item: a specimen data page drawn as SVG
    Page("mrz", "app", "/tools/mrz", "trainee", "POST", "mrz"),  # the MRZ checker judging the ICAO specimen
)
SCENARIO = "airport-escort"
MRZ_SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
QUIZ = "border-indicators-quiz"  # the quiz whose attempt the question and save rows use
BASELINE = "bare"

# Demo accounts created by `flask seed-demo` (trainer/services/demo.py).
DEMO_PASSWORDS = {"admin": "demo-admin-2026", "trainee": "demo-trainee-2026"}


@dataclass(frozen=True)
class Server:
    target: str  # gunicorn application
    chdir: Path  # gunicorn --chdir: puts the target's module on sys.path
    ready_path: str  # a public page that answers 200 once the workers are up


SERVERS = {
    "app": Server("trainer:create_app()", REPO, "/auth/login"),
    "bare": Server("bare_app:create_app()", BENCH_DIR, "/"),
}

WARMUP_SECONDS = 2
STARTUP_TIMEOUT = 30
STOP_TIMEOUT = 10
WRK_TIMEOUT = "10s"  # per request; longer than any sane page, so slow answers count as latency, not errors

CSRF_RE = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')

# wrk only counts status >= 400 as errors, so a 302 to the login page (a rejected cookie) would pass
# unnoticed and be timed as a very fast page: count every status other than 200 ourselves. Each wrk
# thread has its own Lua state, so done() sums the per-thread counters collected in setup().
WRK_SCRIPT = """\
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_200")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %.0f, "p95_us": %.0f, '
    .. '"not_200": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    bad, e.connect + e.read + e.write + e.timeout))
end
"""


class BenchError(RuntimeError):
    """The benchmark cannot produce meaningful numbers; the message says why."""


@dataclass
class Running:
    name: str
    port: int
    proc: subprocess.Popen
    log: Path


@dataclass
class Result:
    page: str
    server: str
    path: str
    user: str | None
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    not_200: int
    socket_errors: int
    rps_ratio: float | None = None  # rps / baseline rps
    p50_ratio: float | None = None  # p50 / baseline p50


# --- set-up -------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk open connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    args = parser.parse_args(argv)
    if min(args.workers, args.duration, args.threads) < 1:
        parser.error("--workers, --duration and --threads must be at least 1")
    if args.connections < args.threads:
        parser.error("wrk needs at least one connection per thread (--connections >= --threads)")
    return args


def bench_env(tmp: Path) -> dict[str, str]:
    """Production settings on a throw-away database; set explicitly so a developer's shell can't leak in."""
    env = dict(os.environ)
    env.update({
        "TRAINER_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
        "RATELIMIT_STORAGE_URI": "memory://",  # no Redis needed; only failed sign-ins are limited anyway
        # Production marks the session cookie Secure; over plain http a client honouring that would not
        # send it back, and every signed-in page would measure a redirect to the login page.
        "SESSION_COOKIE_SECURE": "0",
        "FLASK_APP": "trainer",
    })
    env.pop("TRUSTED_PROXY_HOPS", None)  # no proxy in front of the benchmark
    return env


def prepare_database(env: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["seed-demo"]):
        # seed-demo prints the demo passwords: capture the output rather than echo it.
        done = subprocess.run([sys.executable, "-m", "flask", *command], cwd=REPO, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"`flask {' '.join(command)}` failed ({done.returncode}):\n{done.stderr}")


def free_port() -> int:
    # The OS picks an unused port; it could be taken again before gunicorn binds, which is unlikely
    # enough here and shows up as a startup failure with gunicorn's message.
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(name: str, workers: int, env: dict[str, str], tmp: Path) -> Running:
    server = SERVERS[name]
    port = free_port()
    log = tmp / f"gunicorn-{name}.log"
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{HOST}:{port}",
               "--chdir", str(server.chdir), "--log-level", "warning", server.target]
    with log.open("wb") as out:
        # A session of its own: Ctrl+C reaches only this script, which then stops gunicorn in order,
        # and the process group lets a last-resort kill reach the workers too.
        proc = subprocess.Popen(command, cwd=server.chdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return Running(name, port, proc, log)


def stop_server(running: Running) -> None:
    proc = running.proc
    if proc.poll() is None:
        proc.terminate()  # SIGTERM: gunicorn's graceful shutdown, the master stops its workers
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    # Then kill whatever is left of the group: the master if it hung, or a worker that was still booting
    # when the master stopped (seen on Ctrl+C during start-up; it would linger until it noticed).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # nothing left: the usual case
        pass
    proc.wait()


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until_ready(running: Running) -> None:
    path = SERVERS[running.name].ready_path
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if running.proc.poll() is not None:
            raise BenchError(f"gunicorn for {running.name} exited with {running.proc.returncode}:\n"
                             f"{log_tail(running.log)}")
        try:
            if http_request(running.port, "GET", path, {})[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise BenchError(f"{running.name} did not answer 200 on {path} within {STARTUP_TIMEOUT}s:\n"
                     f"{log_tail(running.log)}")


# --- signing in ---------------------------------------------------------------------------------------


def http_request(port: int, method: str, path: str, cookies: dict[str, str],
                 form: dict[str, str] | None = None) -> tuple[int, str | None, str]:
    """One request, redirects not followed; cookies the server sets are stored in ``cookies``.

    Returns (status, Location header, body).
    """
    headers = {"Cookie": cookie_header(cookies)} if cookies else {}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for morsel in SimpleCookie(header).values():
                if morsel.value:
                    cookies[morsel.key] = morsel.value
                else:  # the server deleted it
                    cookies.pop(morsel.key, None)
        return response.status, response.getheader("Location"), text
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_in(port: int, username: str) -> dict[str, str]:
    """Sign in through the login form once; return the cookies the signed-in browser then sends."""
    cookies: dict[str, str] = {}
    status, _, html = http_request(port, "GET", "/auth/login", cookies)
    match = CSRF_RE.search(html)
    if status != 200 or not match:
        raise BenchError(f"GET /auth/login answered {status} without a csrf_token field")
    form = {"username": username, "password": DEMO_PASSWORDS[username], "csrf_token": match.group(1)}
    status, location, _ = http_request(port, "POST", "/auth/login", cookies, form)
    if status != 302 or urllib.parse.urlsplit(location or "").path != "/":
        raise BenchError(f"signing in as {username} answered {status} (Location {location!r}), "
                         "expected 302 to /: wrong password, CSRF failure or rate limit")
    if "session" not in cookies:
        raise BenchError(f"signing in as {username} set no session cookie")
    return cookies


CHOICE_RE = re.compile(r'<input type="radio" name="answer" id="[^"]+" value="([^"]+)"')


@dataclass(frozen=True)
class Prepared:
    question: str  # path of a single-choice question page
    autosave: str  # where its answer is saved
    run: str  # a scenario run's current node
    document: str  # the first page of a document-inspection practice session
    bodies: dict[str, str]  # form bodies for POST pages, CSRF token included


def prepare(port: int, cookies: dict[str, str]) -> Prepared:
    """As the signed-in trainee: an open quiz attempt (a single-choice question in it) and a scenario run."""
    _, _, html = http_request(port, "GET", f"/learn/quizzes/{QUIZ}", cookies)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if not token:
        raise BenchError(f"/learn/quizzes/{QUIZ} shows no start form")
    status, location, _ = http_request(port, "POST", f"/learn/quizzes/{QUIZ}/start", cookies,
                                       {"csrf_token": token.group(1)})
    match = re.match(r"/learn/attempts/(\d+)/questions/\d+", urllib.parse.urlsplit(location or "").path)
    if status != 302 or not match:
        raise BenchError(f"starting {QUIZ} answered {status} (Location {location!r})")
    attempt_id = match.group(1)
    for position in range(1, 30):
        path = f"/learn/attempts/{attempt_id}/questions/{position}"
        status, _, html = http_request(port, "GET", path, cookies)
        if status != 200:
            break
        choice = CHOICE_RE.search(html)
        if choice:
            break
    else:
        raise BenchError(f"no single-choice question found in attempt {attempt_id} of {QUIZ}")
    status, location, _ = http_request(port, "POST", f"/learn/scenarios/{SCENARIO}/start", cookies,
                                       {"csrf_token": token.group(1)})
    if status != 302 or not re.fullmatch(r"/learn/runs/\d+", urllib.parse.urlsplit(location or "").path):
        raise BenchError(f"starting scenario {SCENARIO} answered {status} (Location {location!r})")
    run = urllib.parse.urlsplit(location).path
    status, location, _ = http_request(port, "POST", "/learn/practice/documents", cookies,
                                       {"csrf_token": token.group(1), "size": "5"})
    if status != 302 or "/questions/" not in (location or ""):
        raise BenchError(f"starting document practice answered {status} (Location {location!r})")
    bodies = {"answer": urllib.parse.urlencode({"csrf_token": token.group(1), "answer": choice.group(1)}),
              "mrz": urllib.parse.urlencode({"csrf_token": token.group(1), "lines": MRZ_SPECIMEN})}
    return Prepared(path, f"/learn/attempts/{attempt_id}/autosave/{position}", run,
                    urllib.parse.urlsplit(location).path, bodies)


def check_page(page: Page, port: int, cookies: dict[str, str], body: str | None = None) -> None:
    """Refuse to time a page that does not answer 200: a redirect would be timed as a fast page."""
    form = dict(urllib.parse.parse_qsl(body)) if body else None
    # A copy of the cookies: wrk sends the originals.
    status, location, _ = http_request(port, page.method, page.path, dict(cookies), form)
    if status != 200:
        who = f"signed in as {page.user}" if page.user else "anonymous"
        raise BenchError(f"{page.name}: GET {page.path} ({who}) answered {status}"
                         f"{f' to {location}' if location else ''}, expected 200")


# --- measuring ----------------------------------------------------------------------------------------


def post_script(report: Path, body: str) -> Path:
    """The report script plus a form POST: wrk sends the same body on every request."""
    script = report.with_name(f"post-{abs(hash(body))}.lua")
    script.write_text(f"wrk.method = \"POST\"\nwrk.body = {json.dumps(body)}\n"
                      "wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n"
                      + report.read_text())
    return script


def run_wrk(url: str, seconds: int, args: argparse.Namespace, script: Path, cookie: str | None) -> dict:
    command = ["wrk", "--threads", str(args.threads), "--connections", str(args.connections),
               "--duration", f"{seconds}s", "--timeout", WRK_TIMEOUT, "--script", str(script)]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}) on {url}:\n{done.stderr or done.stdout}")
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise BenchError(f"wrk printed no BENCH_JSON line for {url}:\n{done.stdout}")


def measure(page: Page, port: int, cookie: str | None, args: argparse.Namespace, script: Path) -> Result:
    url = f"http://{HOST}:{port}{page.path}"
    run_wrk(url, WARMUP_SECONDS, args, script, cookie)  # imports, template compilation, DB pool: not timed
    raw = run_wrk(url, args.duration, args, script, cookie)
    return Result(
        page=page.name, server=page.server, path=page.path, user=page.user, requests=raw["requests"],
        rps=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000, p95_ms=raw["p95_us"] / 1000,
        not_200=raw["not_200"], socket_errors=raw["socket_errors"],
    )


def add_ratios(results: list[Result]) -> None:
    base = next((r for r in results if r.page == BASELINE), None)
    if base is None or base.rps == 0 or base.p50_ms == 0:
        return
    for result in results:
        result.rps_ratio = result.rps / base.rps
        result.p50_ratio = result.p50_ms / base.p50_ms


def run_benchmark(args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="trainer-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = bench_env(tmp)
        progress("creating and seeding the database")
        prepare_database(env)
        script = tmp / "report.lua"
        script.write_text(WRK_SCRIPT)
        servers: dict[str, Running] = {}
        try:
            for name in SERVERS:
                servers[name] = start_server(name, args.workers, env, tmp)
            for running in servers.values():
                wait_until_ready(running)
            progress(", ".join(f"{r.name} on port {r.port}" for r in servers.values()) + " ready")
            users = {page.user for page in PAGES if page.user}
            jars = {user: sign_in(servers["app"].port, user) for user in sorted(users)}
            ready = prepare(servers["app"].port, jars["trainee"])
            pages = [replace(page, path=page.path.format(question=ready.question, autosave=ready.autosave,
                                                         run=ready.run, document=ready.document)) for page in PAGES]
            for page in pages:
                check_page(page, servers[page.server].port, jars.get(page.user, {}), ready.bodies.get(page.form))
            results = []
            for page in pages:
                progress(f"measuring {page.name} ({WARMUP_SECONDS}s warm-up + {args.duration}s)")
                cookie = cookie_header(jars[page.user]) if page.user else None
                page_script = post_script(script, ready.bodies[page.form]) if page.method == "POST" else script
                results.append(measure(page, servers[page.server].port, cookie, args, page_script))
        finally:
            for running in servers.values():
                stop_server(running)
    add_ratios(results)
    return results


# --- reporting ----------------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def machine_info(args: argparse.Namespace) -> dict:
    return {
        "cpus": len(os.sched_getaffinity(0)),  # what nproc prints
        "python": platform.python_version(),
        "platform": platform.platform(),
        "workers": args.workers,
        "duration_s": args.duration,
        "warmup_s": WARMUP_SECONDS,
        "connections": args.connections,
        "wrk_threads": args.threads,
    }


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_report(results: list[Result], info: dict) -> None:
    header = f"{'page':<12} {'path':<44} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'req/s÷bare':>10} {'p50÷bare':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        flag = "  <-- NOT ALL 200" if r.not_200 or r.socket_errors else ""
        print(f"{r.page:<12} {r.path[:44]:<44} {r.rps:>9.1f} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} "
              f"{ratio(r.rps_ratio):>10} {ratio(r.p50_ratio):>9}{flag}")
    print()
    print(f"machine: {info['cpus']} CPUs (nproc), Python {info['python']}, {info['platform']}")
    print(f"gunicorn: {info['workers']} sync workers per server; wrk: {info['wrk_threads']} threads, "
          f"{info['connections']} connections, {info['duration_s']}s per page after {info['warmup_s']}s warm-up")
    print("wrk and both servers share these CPUs, so on a shared 2-core machine the figures are noisy: "
          "compare the ratios within one run, not absolute numbers between runs or machines.")
    for r in results:
        if r.not_200 or r.socket_errors:
            print(f"\n!!! {r.page}: {r.not_200} of {r.requests} responses were not 200, {r.socket_errors} "
                  "socket errors: this row's numbers are NOT meaningful !!!", file=sys.stderr)


def write_json(path: Path, results: list[Result], info: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"baseline": BASELINE, "settings": info,
                                "results": [asdict(r) for r in results]}, indent=2) + "\n")


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally that stops gunicorn


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk (HTTP load generator) not found: install it with `apt-get install wrk`.", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        results = run_benchmark(args)
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    info = machine_info(args)
    print_report(results, info)
    if args.json:
        write_json(args.json, results, info)
        progress(f"results written to {args.json}")
    return 1 if any(r.not_200 or r.socket_errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

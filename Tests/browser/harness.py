"""Shared helpers for ScarTrack browser tests.

Scenario modules (``scenario_*.py``) get a :class:`Context` from ``run.py`` and
use it to open browsers, sign in, fill forms and save screenshots. Everything
that knows how to start the server, drive Chromium or talk plain HTTP lives
here so scenarios stay short and read like the user story they test.

Only the standard library and selenium are used.
"""

from __future__ import annotations

import atexit
import html.parser
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# Selenium Manager would try to download a driver/browser if it were ever
# consulted; this machine (and CI) must only use the Debian packages.
os.environ.setdefault("SE_OFFLINE", "true")

CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
CHROMEDRIVER_PATHS = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
DESKTOP = (1366, 900)  # the laptop size the product is checked at
TABLET = (820, 1180)
# A password the server accepts: >= 12 characters and not a common one.
TEST_PASSWORD = "Needle-Depth-0.5mm-ok"
PAGE_TIMEOUT = 15  # seconds to wait for a page or element
MAX_SCREENSHOT_HEIGHT = 12000  # keep accidental endless pages from eating memory


class TestFailure(AssertionError):
    """A check in a scenario did not hold."""


def check(condition: bool, message: str) -> None:
    """Assert that survives ``python -O`` and reads well in scenarios."""
    if not condition:
        raise TestFailure(message)


def unique_suffix(length: int = 6) -> str:
    """Letters only, capitalised, so it is also a plausible name part."""
    return "".join(random.choice(string.ascii_lowercase) for _ in range(length)).capitalize()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_existing(paths: list[str], what: str) -> str:
    for path in paths:
        if os.path.exists(path):
            return path
    raise RuntimeError(f"{what} not found (looked at {', '.join(paths)}); "
                       "run scripts/test once, or apt-get install chromium chromium-driver")


def wait_until(predicate, timeout: float, what: str, interval: float = 0.25):
    """Polls ``predicate`` until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def shows_phone(page_text: str, phone: str) -> bool:
    """True if the phone number appears as typed or reformatted (same digits).

    The server may normalise formatting (spaces, E.164), so compare digits too.
    """
    return phone in page_text or digits(phone) in digits(page_text)


# ---------------------------------------------------------------------------
# The server under test
# ---------------------------------------------------------------------------

class Server:
    """One ``scartrack serve`` process on 127.0.0.1 with its own data dir."""

    def __init__(self, binary: str | Path, data_dir: str | Path, log_path: str | Path):
        self.binary = str(Path(binary).resolve())
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        # Scenarios sign in as an admin without a second factor; the two-factor scenario
        # turns the production default (required for admins) back on for its own server.
        return {"SCARTRACK_REQUIRE_ADMIN_2FA": "false", **os.environ, "SCARTRACK_DATA_DIR": str(self.data_dir)}

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """Runs a ``scartrack`` subcommand against this data dir; raises on failure."""
        result = subprocess.run([self.binary, *args], input=stdin, env=self.env(),
                                capture_output=True, text=True, timeout=120)
        with open(self.log_path, "a") as log:
            log.write(f"$ scartrack {' '.join(args)}  (exit {result.returncode})\n"
                      f"{result.stdout}{result.stderr}\n")
        if result.returncode != 0:
            raise RuntimeError(f"scartrack {' '.join(args)} failed (exit {result.returncode}):\n"
                               f"{result.stdout}{result.stderr}")
        return result

    def add_user(self, email: str, password: str, role: str) -> None:
        """Creates a user; the CLI reads the password from stdin (never argv)."""
        self.cli("user", "add", "--email", email, "--role", role, stdin=password + "\n")

    def start(self, attempts: int = 3) -> None:
        """Starts the server and waits for /health. Retries on a new port if the
        process dies early, since a picked port can be taken by someone else
        before the server binds it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, attempts + 1):
            self.port = free_port()
            self._spawn()
            try:
                self.wait_ready()
                return
            except ServerExited:
                if attempt == attempts:
                    raise
                print(f"server exited early on port {self.port}; retrying (see {self.log_path})")

    def _spawn(self) -> None:
        self._log_file = open(self.log_path, "a", buffering=1)
        self._log_file.write(f"$ scartrack serve --host 127.0.0.1 --port {self.port}\n")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(), stdin=subprocess.DEVNULL,
            stdout=self._log_file, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        def healthy():
            if self.process.poll() is not None:
                raise ServerExited(f"server exited with {self.process.returncode} before it was ready")
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=2) as response:
                    body = json.loads(response.read().decode() or "{}")
                    return response.status == 200 and body.get("status") == "ok"
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
                return False
        wait_until(healthy, timeout, f"{self.base_url}/health to return 200 {{\"status\":\"ok\"}}")

    def stop(self, timeout: float = 15) -> bool:
        """SIGTERM, then wait. Returns False if it had to be killed: a server
        that ignores SIGTERM would hang deployments, so run.py reports it."""
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return True
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
            self._log_file.write(f"[harness] server exited with {code} after SIGTERM\n")
            return True
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self._log_file.write(f"[harness] server ignored SIGTERM for {timeout:.0f}s; killed\n")
            return False
        finally:
            self._close_log()

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _close_log(self) -> None:
        if self._log_file and not self._log_file.closed:
            self._log_file.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


class ServerExited(RuntimeError):
    pass


# ---------------------------------------------------------------------------
# Browser
# ---------------------------------------------------------------------------

_browser_tmp: str | None = None


def browser_tmp_dir() -> str:
    """A private TMPDIR for chromedriver/Chromium, removed when Python exits.

    Chromium leaves a small org.chromium.Chromium.* directory in TMPDIR for
    every launch even after a clean quit; keep those out of the shared /tmp.
    """
    global _browser_tmp
    if _browser_tmp is None:
        _browser_tmp = tempfile.mkdtemp(prefix="scartrack-chromium-")
        atexit.register(shutil.rmtree, _browser_tmp, ignore_errors=True)
    return _browser_tmp


def new_chromium(width: int, height: int, flags: tuple[str, ...] = ()):
    """Headless Chromium from the Debian packages, driven by chromedriver (plus any extra `flags`, e.g. a fake camera)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = first_existing(CHROMIUM_PATHS, "chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--lang=en-US", f"--window-size={width},{height}", *flags):
        options.add_argument(flag)
    service = Service(executable_path=first_existing(CHROMEDRIVER_PATHS, "chromedriver"),
                      env={**os.environ, "TMPDIR": browser_tmp_dir()})
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(PAGE_TIMEOUT * 2)
    return driver


def save_screenshot(driver, path: str | Path, full_page: bool = True) -> Path:
    """Saves a PNG. Full-page: grow the window to the document height first
    (headless Chromium only captures the window), then restore it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    original = driver.get_window_size()
    try:
        if full_page:
            content_height = driver.execute_script(
                "return Math.max(document.body ? document.body.scrollHeight : 0,"
                " document.documentElement.scrollHeight)")
            chrome_height = driver.execute_script("return window.outerHeight - window.innerHeight") or 0
            height = min(max(int(content_height) + int(chrome_height), original["height"]),
                         MAX_SCREENSHOT_HEIGHT)
            driver.set_window_size(original["width"], height)
        if not driver.save_screenshot(str(path)):
            raise TestFailure(f"could not save screenshot {path}")
    finally:
        if full_page:
            driver.set_window_size(original["width"], original["height"])
    return path


class Browser:
    """A Chromium window plus the ScarTrack-specific moves scenarios need."""

    def __init__(self, ctx: "Context", width: int, height: int, label: str, flags: tuple[str, ...] = ()):
        self.ctx = ctx
        self.label = label
        self.driver = new_chromium(width, height, flags)

    # -- navigation -------------------------------------------------------

    def go(self, path: str) -> None:
        self.driver.get(self.ctx.url(path))
        self._wait_loaded()

    @property
    def path(self) -> str:
        """Current URL path plus query, e.g. ``/patients?q=x``."""
        parts = urllib.parse.urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def wait_for_path(self, pattern: str) -> re.Match:
        """Waits until the URL path fully matches the regex; returns the match."""
        return wait_until(lambda: re.fullmatch(pattern, urllib.parse.urlsplit(self.driver.current_url).path),
                          PAGE_TIMEOUT, f"a page matching {pattern} (at {self.driver.current_url})")

    def _wait_loaded(self) -> None:
        wait_until(lambda: self.driver.execute_script("return document.readyState") == "complete",
                   PAGE_TIMEOUT, "page load")

    # -- finding things ---------------------------------------------------

    def css(self, selector: str):
        """The element for a CSS selector; fails the test if it is missing."""
        from selenium.common.exceptions import NoSuchElementException
        try:
            return self.driver.find_element("css selector", selector)
        except NoSuchElementException:
            raise TestFailure(f"no element {selector!r} on {self.path}") from None

    def all(self, selector: str) -> list:
        return self.driver.find_elements("css selector", selector)

    def has(self, selector: str) -> bool:
        return bool(self.all(selector))

    def text(self, selector: str = "body") -> str:
        return self.css(selector).text

    # -- forms ------------------------------------------------------------

    def fill(self, form_selector: str, values: dict[str, str]) -> None:
        """Sets form fields by name; handles text, date and select inputs."""
        from selenium.webdriver.support.ui import Select
        form = self.css(form_selector)
        for name, value in values.items():
            matches = form.find_elements("css selector", f'[name="{name}"]')
            if not matches:
                raise TestFailure(f"form {form_selector} on {self.path} has no field {name!r}")
            element = matches[0]
            tag = element.tag_name.lower()
            kind = (element.get_attribute("type") or "").lower()
            if tag == "select":
                Select(element).select_by_value(value)
            elif kind in ("date", "time", "datetime-local", "month"):
                # Typing into date inputs depends on the browser locale; set
                # the ISO value directly, exactly what the form would submit.
                self.driver.execute_script(
                    "arguments[0].value = arguments[1];"
                    "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                    "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                    element, value)
            else:
                element.clear()
                element.send_keys(value)

    def value(self, form_selector: str, name: str) -> str:
        return self.css(f'{form_selector} [name="{name}"]').get_attribute("value") or ""

    def tap(self, target) -> None:
        """Clicks an element (a selector or the element) after scrolling it to the middle of the window, so a
        sticky header such as the chart page's safety banner never covers it."""
        element = self.css(target) if isinstance(target, str) else target
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)
        element.click()

    def click_and_wait(self, selector: str) -> None:
        """Clicks something that loads a new page (submit, link) and waits
        until the old page is gone and the new one is loaded. Works even when
        the server answers on the same URL (e.g. a form re-rendered with errors)."""
        from selenium.webdriver.support.ui import WebDriverWait
        from selenium.common.exceptions import WebDriverException
        old_root = self.driver.find_element("tag name", "html")
        self.tap(selector)

        def old_page_gone(_driver) -> bool:
            # Chromium may answer "node does not belong to the document" instead of
            # the usual stale-element error while the next page replaces this one:
            # both mean the old page is gone.
            try:
                old_root.is_enabled()
                return False
            except WebDriverException:
                return True

        WebDriverWait(self.driver, PAGE_TIMEOUT).until(old_page_gone)
        self._wait_loaded()

    # -- ScarTrack moves --------------------------------------------------

    def sign_in(self, email: str | None = None, password: str | None = None, landing: str = r"/") -> None:
        self.go("/signin")
        self.fill("#signin-form", {"email": email or self.ctx.email,
                                   "password": password or self.ctx.password})
        self.click_and_wait("#signin-submit")
        if self.has("#form-error"):
            raise TestFailure(f"sign-in failed: {self.text('#form-error')}")
        self.wait_for_path(landing)

    def sign_out(self) -> None:
        self.click_and_wait("#signout")

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        return save_screenshot(self.driver, self.ctx.artifacts / name, full_page=full_page)

    def open_details(self, selector: str) -> None:
        """Opens the <details> each match is, or sits in, whether or not the page opened it itself
        (a form starts open only while its list is empty; other scenarios share the server)."""
        self.driver.execute_script(
            "document.querySelectorAll(arguments[0]).forEach(e => { const d = e.closest('details'); if (d) d.open = true; })", selector)

    def horizontal_overflow(self) -> int:
        """Pixels the page is wider than the window (0 = fits)."""
        return int(self.driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"))

    def close(self) -> None:
        try:
            self.driver.quit()
        except Exception:  # a crashed browser must not hide the real failure
            pass


# ---------------------------------------------------------------------------
# Plain HTTP (no JavaScript, like a form post from a script). Useful to check
# status codes, which a browser does not expose.
# ---------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    url: str
    body: str

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]


class _FormParser(html.parser.HTMLParser):
    """Collects the successful controls of one form, as a browser would submit it."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.form: Form | None = None
        self._inside = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id and self.form is None:
            self.form = Form(a.get("action", ""), a.get("method", "get").lower(), {})
            self._inside = True
            return
        if not self._inside:
            return
        if tag == "option" and self._select is not None:
            self._option(a)
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.form.fields[name] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select":
            self._select, self._select_first = name, None
        elif tag == "textarea":
            self._textarea = name
            self.form.fields[name] = ""

    def _option(self, a):
        if self._select_first is None:
            self._select_first = a.get("value", "")
            self.form.fields.setdefault(self._select, self._select_first)
        if "selected" in a:
            self.form.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self.form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_form(page: str, form_id: str) -> Form:
    parser = _FormParser(form_id)
    parser.feed(page)
    if parser.form is None:
        raise TestFailure(f"no form #{form_id} in page")
    return parser.form


class _LoopbackIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Browsers treat http://127.0.0.1 as a secure context and send `Secure`
    cookies to it; Python's cookie jar does not unless told so."""

    def return_ok_secure(self, cookie, request):
        host = urllib.parse.urlsplit(request.get_full_url()).hostname
        return host in ("127.0.0.1", "localhost") or super().return_ok_secure(cookie, request)


class HttpClient:
    """A cookie-keeping HTTP client that follows redirects like a browser."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar(policy=_LoopbackIsSecure())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, data: dict[str, str] | None = None) -> Response:
        url = urllib.parse.urljoin(self.base_url + "/", path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=PAGE_TIMEOUT) as r:
                return Response(r.status, r.url, r.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:  # 4xx/5xx still carry a page
            return Response(error.code, error.url, error.read().decode(errors="replace"))

    def get(self, path: str) -> Response:
        return self.request(path)

    def get_bytes(self, path: str) -> tuple[int, bytes]:
        """The raw body (images), with the status."""
        url = urllib.parse.urljoin(self.base_url + "/", path)
        try:
            with self.opener.open(urllib.request.Request(url), timeout=PAGE_TIMEOUT) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def submit(self, page: Response, form_id: str, changes: dict[str, str] | None = None) -> Response:
        """Posts the form as found on ``page`` (csrf, hidden version, ...) with
        some fields changed."""
        form = parse_form(page.body, form_id)
        fields = {**form.fields, **(changes or {})}
        action = urllib.parse.urljoin(page.url, form.action or page.url)
        if form.method == "post":
            return self.request(action, fields)
        return self.request(action + "?" + urllib.parse.urlencode(fields))

    def sign_in(self, email: str, password: str) -> Response:
        page = self.get("/signin")
        response = self.submit(page, "signin-form", {"email": email, "password": password})
        check(response.status == 200 and response.path == "/",
              f"HTTP sign-in did not reach the clinic's day at / (status {response.status}, at {response.path})")
        return response


# ---------------------------------------------------------------------------
# What a scenario gets
# ---------------------------------------------------------------------------

@dataclass
class Context:
    server: Server
    artifacts: Path
    email: str
    password: str
    scenario: str = ""
    unique: str = field(default_factory=unique_suffix)
    browsers: list[Browser] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def browser(self, size: tuple[int, int] = DESKTOP, label: str = "", flags: tuple[str, ...] = ()) -> Browser:
        """Opens a browser that is closed (and screenshotted on failure) for you."""
        browser = Browser(self, size[0], size[1], label or f"browser{len(self.browsers) + 1}", flags)
        self.browsers.append(browser)
        return browser

    def http(self, signed_in: bool = True) -> HttpClient:
        client = HttpClient(self.server.base_url)
        if signed_in:
            client.sign_in(self.email, self.password)
        return client

    def log(self, message: str) -> None:
        print(f"    {self.scenario}: {message}", flush=True)

    def save_failure_evidence(self) -> None:
        """Screenshot and HTML of every open tab, named FAILED-<scenario>-..."""
        for browser in self.browsers:
            try:
                for index, handle in enumerate(browser.driver.window_handles):
                    browser.driver.switch_to.window(handle)
                    stem = f"FAILED-{self.scenario}-{browser.label}-tab{index + 1}"
                    save_screenshot(browser.driver, self.artifacts / f"{stem}.png")
                    (self.artifacts / f"{stem}.html").write_text(browser.driver.page_source)
                    print(f"    saved {stem}.png/.html (at {browser.driver.current_url})")
            except Exception as error:  # evidence is best effort
                print(f"    could not save evidence from {browser.label}: {error}")

    def close(self) -> None:
        for browser in self.browsers:
            browser.close()
        self.browsers.clear()


def remove_tree(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)

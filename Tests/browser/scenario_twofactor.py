"""Two-factor sign-in as a clinic would run it (SCARTRACK_REQUIRE_ADMIN_2FA at its default,
true), on a server of its own: an administrator signs in, is sent to enrolment from every
page, reads the key, types a code computed like an authenticator app (RFC 6238, SHA-1, 30 s,
6 digits), keeps the recovery codes, signs out, and signs in again through the code step.
Screenshots of the enrolment, recovery-code and code-step pages on desktop and tablet.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import tempfile
import time
from pathlib import Path

import harness
from harness import DESKTOP, TABLET, TEST_PASSWORD, Context, check


def totp(key_base32: str, offset: int = 0) -> str:
    key = base64.b32decode(key_base32.replace(" ", "") + "=" * (-len(key_base32.replace(" ", "")) % 8))
    step = int(time.time()) // 30 + offset
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    o = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class EnforcingServer(harness.Server):
    def env(self) -> dict[str, str]:
        return {**super().env(), "SCARTRACK_REQUIRE_ADMIN_2FA": "true"}


def run(ctx: Context) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="scartrack-2fa-"))
    server = EnforcingServer(ctx.server.binary, data_dir, ctx.artifacts / "server-twofactor.log")
    email = f"admin.{ctx.unique.lower()}@test.example"
    server.add_user(email, TEST_PASSWORD, "admin")
    server.start()
    own = harness.Context(server=server, artifacts=ctx.artifacts, email=email, password=TEST_PASSWORD, scenario=ctx.scenario)
    try:
        admin = own.browser(DESKTOP, label="admin-2fa")
        admin.go("/signin")
        admin.fill("#signin-form", {"email": email, "password": TEST_PASSWORD})
        admin.click_and_wait("#signin-submit")
        admin.wait_for_path(r"/account/two-factor")
        check(admin.has("#two-factor-required"), "the admin is not told that two-factor sign-in is required")
        admin.go("/patients")
        admin.wait_for_path(r"/account/two-factor")
        key = admin.text("#two-factor-secret").strip()
        check(len(key.replace(" ", "")) == 32, f"the key looks wrong: {key!r}")
        check(admin.horizontal_overflow() <= 0, "the enrolment page is wider than a desktop window")
        admin.screenshot("twofactor-enrol-desktop.png")

        admin.fill("#two-factor-enable-form", {"code": totp(key)})
        admin.click_and_wait("#two-factor-enable")
        codes = [e.text for e in admin.all("#recovery-codes code")]
        check(len(codes) == 10, f"expected 10 recovery codes, got {codes}")
        admin.screenshot("twofactor-recovery-codes-desktop.png")
        admin.go("/patients")
        admin.wait_for_path(r"/patients")
        admin.sign_out()

        # Again on a tablet: password, then the code step.
        tablet = own.browser(TABLET, label="admin-2fa-tablet")
        tablet.go("/signin")
        tablet.fill("#signin-form", {"email": email, "password": TEST_PASSWORD})
        tablet.click_and_wait("#signin-submit")
        tablet.wait_for_path(r"/signin/code")
        check(tablet.horizontal_overflow() <= 0, "the code step is wider than a tablet")
        tablet.screenshot("twofactor-code-step-tablet.png")
        tablet.go("/patients")
        tablet.wait_for_path(r"/signin")  # half signed in is not signed in
        tablet.go("/signin/code")
        tablet.fill("#code-form", {"code": totp(key, 1)})
        tablet.click_and_wait("#code-submit")
        tablet.wait_for_path(r"/")
        tablet.go("/account/two-factor")
        check(tablet.text("#recovery-codes-left").strip() == "10", "recovery codes left should be 10")
        check(tablet.horizontal_overflow() <= 0, "the two-factor page is wider than a tablet")
        tablet.screenshot("twofactor-status-tablet.png")
        own.log("admin enrolled, signed out, and signed in with a TOTP code")
    finally:
        own.close()
        server.stop()

"""The patient portal (issue 14) on a phone (390 x 844) and a laptop (1366 x 900).

An admin sets the clinic's phone and a consent wording; the desk invites a patient by
e-mail from the patient page; the invitation's code is read from the outbox (the
way the clinic's sender would find it); on a phone the patient signs in with that
code, sees the course, answers the health questions and signs the consent. On a
laptop the patient asks for a new code by e-mail and signs in with it. Staff see
on the patient page that the patient signed in.
"""

import re
import sqlite3

from harness import DESKTOP, TABLET, Context, check
from steps import fail_on_form_error, register_patient, synthetic_patient

ADMIN = "portal-admin@test.example"
PHONE = (390, 844)
CLINIC_PHONE = "+44 7700 900456"


def latest_code(ctx: Context, email: str, kind: str) -> str:
    """The six-digit code of the newest outbox message of this kind to this address."""
    db = sqlite3.connect(f"file:{ctx.server.data_dir / 'scartrack.sqlite'}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT body FROM message_outbox WHERE recipient = ? AND kind = ? ORDER BY created_at DESC LIMIT 1",
                         (email, kind)).fetchone()
    finally:
        db.close()
    check(row is not None, f"the outbox has a {kind} message for {email}")
    match = re.search(r"\b(\d{3} \d{3})\b", row[0])
    check(match is not None, f"the {kind} message carries a code")
    return match.group(1)


def fits(browser, what: str) -> None:
    check(browser.horizontal_overflow() <= 1, f"{what} fits the window without sideways scrolling")


def run(ctx: Context) -> None:
    ctx.server.add_user(ADMIN, ctx.password, "admin")
    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(ADMIN, ctx.password)
    admin.go("/admin/clinic")
    admin.fill("#clinic-form", {"phone": CLINIC_PHONE})
    admin.click_and_wait("#clinic-save")
    admin.go("/consent-templates")
    admin.fill("#template-form", {"kind": "microneedling", "title": "Consent to microneedling",
                                  "body": "What the treatment is, what to expect afterwards, its risks and the alternatives."})
    admin.click_and_wait("#template-save")
    fail_on_form_error(admin, "adding the consent wording")

    # --- The desk invites the patient by e-mail from the patient page.
    desk = ctx.browser(DESKTOP, label="desk")
    desk.sign_in()
    patient = synthetic_patient(ctx.unique)
    email = patient["email"]
    patient_id = register_patient(desk, patient)
    check(desk.has("#portal-no-access"), "a new patient has no portal access")
    desk.css("#portal").location_once_scrolled_into_view
    desk.screenshot("portal-staff-card-before.png")
    desk.click_and_wait("#portal-invite")
    check(desk.has("#portal-invite-sent") and email in desk.text("#portal-invited"), "the invitation goes to the patient's e-mail")
    desk.screenshot("portal-staff-invited.png")
    code = latest_code(ctx, email, "portal-invitation")

    # --- On a phone: sign in with the invitation code.
    phone = ctx.browser(PHONE, label="phone")
    phone.go("/portal")
    phone.wait_for_path(r"/portal/signin$")
    phone.screenshot("portal-phone-signin.png")
    fits(phone, "the sign-in page")
    phone.click_and_wait("#portal-have-code")
    phone.fill("#portal-code-form", {"email": email, "code": code})
    phone.screenshot("portal-phone-code.png")
    phone.click_and_wait("#portal-code-submit")
    phone.wait_for_path(r"/portal$")
    home = phone.text("main")
    check(f"Hello, {patient['givenName']}" in home, "the home greets the patient")
    check(CLINIC_PHONE in phone.text("#portal-footer"), "every portal page shows the clinic's phone")
    check("4–6 weeks" in home and "Alam et al., JAMA Dermatol 2014" in home, "what to expect, with sources as a reader cites them")
    check("[C" not in home and "seed" not in home.lower(), "no evidence tags on the patient's screen")
    phone.screenshot("portal-phone-home.png")
    fits(phone, "the course page")

    # --- Before the first visit: the health questions, then the consent.
    phone.click_and_wait("#portal-nav-before")
    phone.screenshot("portal-phone-before.png")
    phone.click_and_wait("#portal-start-intake")
    phone.fill("#portal-intake-form", {"fitzpatrick": "4", "isotretinoinStatus": "current"})
    phone.css("#portal-intake-form #herpesHistory").click()
    phone.screenshot("portal-phone-intake.png")
    fits(phone, "the health questions")
    phone.click_and_wait("#portal-intake-send")
    phone.wait_for_path(r"/portal/before-your-visit")
    words = phone.text("#portal-screening-words")
    check("The clinic will talk to you" in words, f"a screening that needs the clinic is said in plain words: {words!r}")
    check("isotretinoin" not in words.lower() and "rule" not in words.lower(), "never a raw rule")
    phone.css("#portal-consents a").click()
    phone.wait_for_path(r"/portal/consent")
    phone.screenshot("portal-phone-consent.png")
    phone.click_and_wait("#portal-consent-sign")
    check(phone.has("#agreed-error"), "signing without ticking the box is refused beside the box")
    phone.css("#agreed").click()
    phone.fill("#portal-consent-form", {"signerName": f"{patient['givenName']} {patient['familyName']}"})
    phone.click_and_wait("#portal-consent-sign")
    phone.wait_for_path(r"/portal/before-your-visit")
    check("signed" in phone.text("#portal-consents"), "the consent shows as signed")
    phone.screenshot("portal-phone-before-done.png")
    fits(phone, "the before-your-visit page")

    # --- On a laptop: ask for a new code by e-mail, sign in with it.
    laptop = ctx.browser(DESKTOP, label="laptop")
    laptop.go("/portal/signin")
    laptop.fill("#portal-signin-form", {"email": email})
    laptop.click_and_wait("#portal-send-code")
    check(laptop.has("#portal-code-sent"), "the code page says a code is on its way (for any address)")
    laptop.screenshot("portal-laptop-code-sent.png")
    laptop.fill("#portal-code-form", {"code": latest_code(ctx, email, "portal-code")})
    laptop.click_and_wait("#portal-code-submit")
    laptop.wait_for_path(r"/portal$")
    laptop.screenshot("portal-laptop-home.png")
    laptop.click_and_wait("#portal-nav-before")
    laptop.screenshot("portal-laptop-before.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.go("/portal/signin")
    tablet.screenshot("portal-tablet-signin.png")

    # --- Staff see the patient's access and the patient's entries.
    desk.go(f"/patients/{patient_id}")
    check("First signed in" in desk.text("#portal"), "the patient page shows the patient signed in")
    desk.screenshot("portal-staff-card-after.png")
    ctx.log("invited, signed in by code on a phone and a laptop, intake and consent entered by the patient")

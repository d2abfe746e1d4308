"""A whole session, from checklist to signature, then an adverse event and the post-care printout.

An admin registers a pen, receives a cartridge lot and a serum lot, and writes a
consent template. A practitioner records an intake, takes the five standardized
before-photos (domain reference §5.2), has the patient sign the consent on the
page (typed name, tick, drawn signature), charts the session, runs the same-day
checklist, signs, prints the post-care sheet and records an adverse event. The
signed chart offers no edit form, only amendments.
"""

import datetime
import re
import tempfile
from pathlib import Path

from harness import DESKTOP, TABLET, Context, check
from steps import UUID, fail_on_form_error, make_png, upload

ADMIN = "charting-admin@test.example"


def run(ctx: Context) -> None:
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    ctx.server.add_user(ADMIN, ctx.password, "admin")

    # --- The admin sets up the device, lots and the consent wording.
    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(ADMIN, ctx.password)
    admin.go("/devices")
    admin.open_details('#devices details')
    serial = f"PEN-{ctx.unique}"
    admin.fill("#device-form", {"model": "Demo Pen 2", "manufacturer": "Acme Medical", "type": "motorized-pen", "maxDepthMm": "2.5",
                                "needleGeometry": "36-pin round cartridge", "needleCount": "36", "punctureRate": "unknown",
                                "serialNumber": serial, "nextServiceDue": "2099-01-01"})
    admin.click_and_wait("#device-save")
    fail_on_form_error(admin, "registering a device")
    cartridge_lot = f"C{ctx.unique}"
    for lot in ({"kind": "cartridge", "product": "36-pin cartridge", "lotNumber": cartridge_lot, "expiresOn": "2099-12-31", "quantity": "40"},
                {"kind": "topical", "product": "Hyaluronic acid serum", "lotNumber": f"HA{ctx.unique}", "expiresOn": "2099-12-31", "quantity": "12"},
                {"kind": "anesthetic", "product": "Lidocaine cream 4%", "lotNumber": f"LC{ctx.unique}", "expiresOn": "2099-12-31", "quantity": "5"}):
        admin.go("/devices")
        admin.open_details('#lots details')
        admin.fill("#lot-form", lot)
        admin.click_and_wait("#lot-save")
        fail_on_form_error(admin, f"receiving lot {lot['lotNumber']}")
    check(serial in admin.text("#device-table"), "the device is not listed")
    check(cartridge_lot in admin.text("#lot-table"), "the cartridge lot is not listed")
    admin.screenshot("session-devices-and-lots.png")
    admin.go("/consent-templates")
    admin.fill("#template-form", {"kind": "microneedling", "title": "Consent to microneedling for acne scars",
                                  "body": "Example wording written by the clinic for this test.\n\nThe clinician explained the treatment, "
                                          "its expected redness and swelling, its risks and the alternatives."})
    admin.click_and_wait("#template-save")
    ctx.log("admin registered a device, three lots and a consent template")

    # --- The practitioner: patient, intake, before-photos.
    browser = ctx.browser(DESKTOP, label="desktop")
    browser.sign_in()
    browser.go("/patients/new")
    browser.fill("#patient-form", {"givenName": "Sabine", "familyName": f"Sessioncase{ctx.unique}", "dateOfBirth": "1990-05-20", "sex": "female"})
    browser.click_and_wait("#patient-save")
    patient_id = browser.wait_for_path(rf"/patients/({UUID})").group(1)
    browser.click_and_wait("#record-intake")
    browser.fill("#intake-form", {"fitzpatrick": "2", "fitzpatrickMethod": "clinician-assessed"})
    browser.click_and_wait("#intake-save")
    browser.wait_for_path(rf"/patients/{patient_id}")
    folder = Path(tempfile.mkdtemp(prefix="scartrack-session-"))
    for i, view in enumerate(["frontal", "oblique-left", "oblique-right", "lateral-left", "lateral-right"]):
        png = make_png(folder / f"{view}.png", 320, 240, (190 + i * 5, 140, 125))
        upload(browser, patient_id, png, {"view": view, "capturedOn": today})
    ctx.log("intake recorded and five before-photos taken today")

    # --- An approved treatment plan: the checklist's plan item needs one.
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#new-plan")
    browser.click_and_wait("#template-choice button[type=submit]")
    browser.fill("#plan-form", {"rationale": "Atrophic acne scarring; a standard microneedling course."})
    browser.click_and_wait("#plan-save")
    fail_on_form_error(browser, "saving the plan")
    browser.wait_for_path(rf"/plans/({UUID})")
    browser.click_and_wait("#approve-plan")
    check(browser.text("#plan-status") == "Approved", f"the plan is not approved: {browser.text('#plan-status')!r}")
    ctx.log("treatment plan approved")

    # --- Consent, signed on the page.
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#sign-consent")
    browser.fill("#consent-form", {"signerName": f"Sabine Sessioncase{ctx.unique}"})
    from selenium.webdriver.common.action_chains import ActionChains
    pad = browser.css("#signature-pad")
    ActionChains(browser.driver).move_to_element_with_offset(pad, -120, 0).click_and_hold().move_by_offset(60, -20) \
        .move_by_offset(60, 30).move_by_offset(60, -25).release().perform()
    browser.css("#agreed").click()
    browser.screenshot("session-consent-form.png")
    browser.click_and_wait("#consent-sign")
    fail_on_form_error(browser, "signing the consent")
    browser.wait_for_path(rf"/consents/{UUID}")
    digest = browser.text("#consent-hash")
    check(re.fullmatch(r"[0-9a-f]{64}", digest) is not None, f"the signed consent shows no SHA-256: {digest!r}")
    check(len(browser.all("img.consent-signature")) == 1, "the drawn signature is not part of the signed document")
    ctx.log("consent signed; stored with its SHA-256")

    # --- The chart.
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#new-session")
    form = browser.css("#session-form")
    device_value = [o.get_attribute("value") for o in form.find_elements("css selector", "#deviceId option") if serial in o.text][0]
    cart_value = [o.get_attribute("value") for o in form.find_elements("css selector", "#cartridgeLotId option") if cartridge_lot in o.text][0]
    serum_value = [o.get_attribute("value") for o in form.find_elements("css selector", "#t-0-lot option") if "Hyaluronic" in o.text][0]
    browser.fill("#session-form", {"deviceId": device_value, "cartridgeLotId": cart_value, "t.0.lotId": serum_value,
                                   "anesthetic.agent": "Lidocaine", "anesthetic.concentration": "4%", "anesthetic.minutesApplied": "30",
                                   "durationMinutes": "35", "reactions.painScore": "3", "notes": "Tolerated well."})
    browser.tap("#session-form [name='anesthetic.removed']")
    for zone, depth in (("left-cheek", "1.50"), ("right-cheek", "1.50"), ("forehead", "0.50")):
        browser.tap(f"#z-{zone}")
        browser.fill("#session-form", {f"z.{zone}.depthMm": depth, f"z.{zone}.passes": "3", f"z.{zone}.endpoint": "pinpoint-bleeding"})
    browser.tap("#session-form [name='reactions.erythema']")
    browser.screenshot("session-chart-form.png")
    banner_in_view(browser, "desktop")
    browser.screenshot("session-chart-form-scrolled.png", full_page=False)
    browser.click_and_wait("#session-save")
    fail_on_form_error(browser, "saving the session draft")
    session_id = browser.wait_for_path(rf"/sessions/({UUID})(?:/checklist)?").group(1)

    # --- Checklist ("Save and check" ran it with today's questions not asked), then signature.
    check(browser.has("#day-newMedications-not-asked:checked"), "today's questions start as not asked, never as no")
    check(not browser.has("#checklist-passed") and "not asked yet" in browser.text("#checklist-result"),
          "the checklist passes with today's questions not asked")
    for field in ("activeAcneInArea", "localInfectionInArea", "activeHerpesLabialis", "recentSunburn", "pregnantOrBreastfeeding", "newMedications"):
        browser.tap(f"#day-{field}-no")
    browser.click_and_wait("#session-save")
    check(browser.has("#checklist-passed"), f"the checklist did not pass: {browser.text('#checklist-result')[:400]!r}")
    browser.screenshot("session-checklist.png")
    browser.click_and_wait("#session-sign")
    check(browser.has("#signed-badge"), f"the session was not signed: {browser.text('main')[:300]!r}")
    check(not browser.has("#session-form"), "a signed session still offers the edit form")
    chart = browser.text("#original-chart")
    check("Left cheek" in chart and "1.50 mm" in chart and cartridge_lot in chart, f"the signed chart misses values: {chart[:300]!r}")
    browser.screenshot("session-chart-signed.png")
    ctx.log("checklist passed and the session is signed")

    # --- Post-care printout, as printed.
    browser.click_and_wait("#postcare-link")
    check("Sun protection" in browser.text("#postcare") and "postcare-microneedling@1" in browser.text("#postcare"),
          "the post-care sheet misses its sections or version")
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    check(not browser.css(".topbar").is_displayed(), "the navigation bar shows on the printout")
    check(browser.css("#letterhead").is_displayed(), "the printed post-care sheet carries the clinic's letterhead")
    browser.screenshot("session-postcare-print.png")
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    ctx.log("post-care sheet printed (print media)")

    # --- An adverse event from the chart; an expected sequela within 72 h is refused first.
    browser.go(f"/sessions/{session_id}")
    browser.click_and_wait("#record-ae")
    browser.fill("#ae-form", {"term": "erythema", "durationHours": "24", "grade": "1", "relatedness": "definite"})
    browser.click_and_wait("#ae-save")
    check(browser.has("#form-error") and "72" in browser.text("#form-error"), "erythema within 72 h was recorded as an adverse event")
    browser.fill("#ae-form", {"term": "hypersensitivity", "durationHours": "", "grade": "2", "relatedness": "possible",
                              "actionTaken": "Topical steroid advised", "products": f"Hyaluronic acid serum lot HA{ctx.unique}"})
    browser.css("#serious").click()
    browser.click_and_wait("#ae-save")
    fail_on_form_error(browser, "recording an adverse event")
    browser.wait_for_path(r"/adverse-events")
    check("Hypersensitivity" in browser.text("#ae-table"), "the open adverse events list misses the event")
    browser.screenshot("session-adverse-events.png")
    browser.go(f"/patients/{patient_id}")
    check(browser.has("#serious-ae-flag"), "the patient page does not flag the serious event")
    ctx.log("adverse event recorded; listed as open; flagged on the patient page")

    # --- Recall finds the patient by the cartridge lot.
    browser.go(f"/recall?lot={cartridge_lot}")
    check(f"Sessioncase{ctx.unique}" in browser.text("#recall-results"), "recall by lot does not find the patient")

    # --- Tablet: the chart and the form fit.
    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    tablet.go(f"/sessions/{session_id}")
    check(tablet.horizontal_overflow() <= 0, "the signed chart is wider than a tablet window")
    tablet.screenshot("session-chart-tablet.png")
    tablet.go(f"/patients/{patient_id}/sessions/new")
    check(tablet.horizontal_overflow() <= 0, "the session form is wider than a tablet window")
    tablet.screenshot("session-form-tablet.png")
    banner_in_view(tablet, "tablet")
    tablet.screenshot("session-form-tablet-scrolled.png", full_page=False)


def banner_in_view(browser, size: str) -> None:
    """The patient's safety banner stays at the top of the window while the chart is scrolled to its zones."""
    check(browser.has("#chart-banner") and "Fitzpatrick" in browser.text("#chart-banner"), f"the chart page has no safety banner ({size})")
    browser.driver.execute_script("document.getElementById('zone-rows').scrollIntoView({block: 'center'})")
    top = browser.driver.execute_script("return document.getElementById('chart-banner').getBoundingClientRect().top")
    scrolled = browser.driver.execute_script("return window.scrollY")
    check(scrolled > 300 and 0 <= top <= 2, f"the safety banner is not kept in view while scrolling ({size}: scrolled {scrolled}px, banner at {top}px)")

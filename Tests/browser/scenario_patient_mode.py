"""Tablet patient mode for consent signing (issue 13, item 12). On the tablet (820 x 1180) the practitioner
opens the consent page and hands the tablet to the patient: the screen shows the clinic, the consent and
the signature only, with no staff navigation, and the server sends any other address back to it. The
patient signs with a finger; the screen thanks them. A wrong password does not give the tablet back; the
practitioner's own does, and lands on the signed document with the next step. The same screen is also
shot on a laptop (1366 x 900).
"""

from harness import DESKTOP, TABLET, Context, check
from api import Api, token
from steps import ClickCounter, fail_on_form_error

UUID = r"[0-9a-f-]{36}"


def patient_with_template(ctx: Context, suffix: str) -> str:
    admin_email = f"patient-mode-admin-{suffix}-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    base = ctx.server.base_url
    admin = Api(base, token(base, admin_email))
    status, body, _ = admin.call("POST", "/api/v1/consent-templates", {
        "kind": "microneedling", "title": "Consent to microneedling for acne scars",
        "body": "Microneedling makes many tiny punctures in the skin to start its repair.\n\n"
                "Redness and swelling for a few days are expected. Rarely: infection, darker or lighter patches, a flare of cold sores.\n\n"
                "You can stop the course at any time."})
    check(status == 201, f"consent template: {status} {body}")
    practitioner = Api(base, token(base, ctx.email))
    status, patient, _ = practitioner.call("POST", "/api/v1/patients", {
        "givenName": "Tabitha", "familyName": f"Tablet{suffix}{ctx.unique}", "dateOfBirth": "1991-03-08", "sex": "female"})
    check(status == 201, f"registering: {status} {patient}")
    return patient["id"]


def run(ctx: Context) -> None:
    pid = patient_with_template(ctx, "t")
    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    counter = ClickCounter(tablet, "patient mode", "tablet")
    tablet.go(f"/patients/{pid}/consents/new")
    tablet.screenshot("patient-mode-1-consent-page-tablet.png", full_page=False)
    counter.click_and_wait("#hand-over")
    tablet.wait_for_path(r"/patient-mode$")
    check(not tablet.has(".mainnav") and not tablet.has("#signout"), "the handed-over screen shows no staff navigation")
    check(tablet.has("#consent-form") and tablet.has("#staff-return"), "the consent and the staff return are on the screen")
    check(tablet.horizontal_overflow() <= 0, "the signing screen fits the tablet")
    tablet.screenshot("patient-mode-2-handed-over-tablet.png")

    tablet.go("/patients")
    tablet.wait_for_path(r"/patient-mode$")
    check(tablet.has("#consent-form"), "another address sends the tablet back to the signing screen")

    # The patient signs (their own clicks, not the clinician's: not counted).
    tablet.fill("#consent-form", {"signerName": f"Tabitha Tablett{ctx.unique}"})
    ClickCounter(tablet, "patient", "tablet").draw("#signature-pad")
    tablet.css("#agreed").click()
    tablet.click_and_wait("#consent-sign")
    fail_on_form_error(tablet, "the patient signing on the tablet")
    check(tablet.has("#patient-mode-done"), "the screen thanks the patient once signed")
    tablet.screenshot("patient-mode-3-signed-tablet.png", full_page=False)

    tablet.open_details("#return-form")
    tablet.fill("#return-form", {"password": "not the password"})
    tablet.click_and_wait("#return-to-staff")
    check(tablet.has("#return-error") and not tablet.has(".mainnav"), "a wrong password keeps the tablet with the patient")
    tablet.screenshot("patient-mode-4-wrong-password-tablet.png", full_page=False)

    if not tablet.driver.execute_script("return document.getElementById('staff-return').open"):
        counter.click("#staff-return summary")
    counter.fill("#return-form", {"password": ctx.password})
    counter.click_and_wait("#return-to-staff")
    tablet.wait_for_path(rf"/consents/{UUID}")
    check(tablet.has(".mainnav") and tablet.has("#consent-hash"), "the practitioner is back on the signed consent")
    tablet.screenshot("patient-mode-5-returned-tablet.png", full_page=False)
    check(counter.clicks <= 4, f"hand over and take back in at most 4 clinician clicks, not {counter.clicks}")
    tablet.close()

    pid = patient_with_template(ctx, "d")
    laptop = ctx.browser(DESKTOP, label="desktop")
    laptop.sign_in()
    laptop.go(f"/patients/{pid}/consents/new")
    laptop.click_and_wait("#hand-over")
    laptop.wait_for_path(r"/patient-mode$")
    laptop.screenshot("patient-mode-handed-over-desktop.png")
    laptop.open_details("#return-form")
    laptop.fill("#return-form", {"password": ctx.password})
    laptop.click_and_wait("#return-to-staff")
    laptop.wait_for_path(rf"/patients/{pid}/consents/new")
    check(laptop.has(".mainnav"), "taken back unsigned: the consent page again, with the staff navigation")
    laptop.close()
    ctx.log(f"hand over, patient signs, wrong password refused, taken back: {counter.clicks} clinician clicks")

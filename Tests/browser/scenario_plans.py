"""Treatment plans: an admin sets the device depth limit on an example protocol
template (saved as a new version), then a practitioner screens a patient
through the intake form, grades the scars (the assessment scenario's counts:
rolling-dominant), plans from the example template with hints and screening
beside the form, approves the plan and looks at it on desktop and tablet.

Depths come only from the clinic (domain reference Decision 4): the example
ships none, so the admin enters the device limit before a depth is planned.
"""

import re

from harness import TABLET, TEST_PASSWORD, Context, check
from steps import UUID, grade, record_intake



def run(ctx: Context) -> None:
    # An admin adjusts the example "with subcision" template: device depth limit 2.0 mm.
    admin_email = f"admin.{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    admin = ctx.browser(label="admin")
    admin.sign_in(admin_email, TEST_PASSWORD)
    admin.go("/protocol-templates")
    check("Example — adjust before clinical use" in admin.text("#template-list"), "the example templates are listed and labelled")
    admin.screenshot("protocol-templates.png")
    links = [a for a in admin.all("#template-list h2 a") if "subcision" in a.text]
    check(len(links) == 1, "there is one example template with subcision")
    links[0].click()
    template_id = admin.wait_for_path(rf"/protocol-templates/({UUID})").group(1)
    check(admin.has("#example-warning"), "the example template warns it must be adjusted")
    check("J Clin Aesthet Dermatol 2019" in admin.text(), "the template cites Bhargava 2019 for its defaults")
    admin.click_and_wait("#edit-template")
    admin.fill("#template-form", {"deviceDepthLimitMm": "2.0"})
    admin.screenshot("protocol-template-form.png")
    admin.click_and_wait("#template-save")
    if admin.has("#form-error"):
        raise AssertionError(f"saving the template failed: {admin.text('#form-error')}")
    admin.wait_for_path(rf"/protocol-templates/{template_id}$")
    check(admin.text("#device-depth-limit") == "2.00 mm", f"device limit shows {admin.text('#device-depth-limit')!r}")
    check("Version 2" in admin.text(), "the edit saved version 2")
    admin.screenshot("protocol-template-v2.png")
    ctx.log(f"template {template_id} at version 2 with a device limit")

    # A practitioner screens and grades a synthetic patient.
    browser = ctx.browser(label="desktop")
    browser.sign_in()
    browser.go("/patients/new")
    browser.fill("#patient-form", {"givenName": "Synthia", "familyName": f"Planpatient{ctx.unique}",
                                   "dateOfBirth": "1991-02-11", "sex": "female"})
    browser.click_and_wait("#patient-save")
    patient_id = browser.wait_for_path(rf"/patients/({UUID})").group(1)
    check(browser.has("#treatment-plans") and browser.has("#no-plans"), "the patient page has an empty Treatment plan card")
    record_intake(browser, patient_id, {"fitzpatrick": "4", "fitzpatrickMethod": "clinician-assessed", "isotretinoinStatus": "never"})
    grade(browser)
    ctx.log("screened and graded")

    # Plan from the example template, with hints and screening beside the form.
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#new-plan")
    browser.wait_for_path(rf"/patients/{patient_id}/plans/new")
    browser.fill("#template-choice", {"template": template_id})
    browser.click_and_wait("#template-choice button[type=submit]")
    check(browser.has("#example-warning"), "the plan form says the template is an example")
    check(browser.has("#hint-rolling-consider-subcision"), "rolling-dominant scars give the subcision hint")
    check(browser.has("#hint-fitzpatrick-pih-guidance"), "Fitzpatrick IV gives the PIH guidance hint")
    check("J Clin Aesthet Dermatol 2019" in browser.text("#hint-rolling-consider-subcision"), "the subcision hint cites its source")
    check("Eligible" in browser.text("#plan-screening"), f"screening is shown: {browser.text('#plan-screening')[:200]!r}")
    check(browser.value("#plan-form", "sessions") == "4", "sessions start at the template's default (Bhargava 2019: 4)")
    browser.fill("#plan-form", {"depths.left-cheek": "2.5"})
    browser.click_and_wait("#plan-save")
    check(browser.has("#form-error") and "device depth limit" in browser.text("#form-error"),
          "a depth above the device limit is refused")
    browser.fill("#plan-form", {"depths.left-cheek": "1.5", "depths.forehead": "1.25",
                                "rationale": "Rolling-dominant scarring; subcision with pen microneedling, Fitzpatrick IV photoprotection."})
    check(browser.horizontal_overflow() <= 0, f"the plan form overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("plan-form-desktop.png")
    browser.click_and_wait("#plan-save")
    if browser.has("#form-error"):
        raise AssertionError(f"saving the plan failed: {browser.text('#form-error')}")
    plan_id = browser.wait_for_path(rf"/plans/({UUID})").group(1)
    check(browser.text("#plan-status") == "Draft", f"a new plan is a draft: {browser.text('#plan-status')!r}")
    browser.click_and_wait("#approve-plan")
    browser.wait_for_path(rf"/plans/{plan_id}")
    check(browser.text("#plan-status") == "Approved", f"the plan is approved: {browser.text('#plan-status')!r}")
    check("version 1" in browser.text("#plan-in-force"), "version 1 is in force")
    check("Left cheek 1.50 mm" in browser.text("#plan-current"), "the planned depth is shown")
    check(browser.horizontal_overflow() <= 0, f"the plan page overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("plan-page-desktop.png")
    ctx.log(f"plan {plan_id} approved")

    browser.go(f"/patients/{patient_id}")
    check(re.search(plan_id, browser.driver.page_source) is not None, "the patient page links the plan")
    check("Approved" in browser.text("#treatment-plans"), "the Treatment plan card shows the approval")
    browser.screenshot("patient-page-with-plan.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    for path, name in [(f"/plans/{plan_id}", "plan-page-tablet.png"),
                       (f"/patients/{patient_id}/plans/new?template={template_id}", "plan-form-tablet.png"),
                       (f"/protocol-templates/{template_id}", "protocol-template-tablet.png")]:
        tablet.go(path)
        check(tablet.horizontal_overflow() <= 0, f"{path} overflows by {tablet.horizontal_overflow()}px at tablet width")
        tablet.screenshot(name)

"""Intake and screening, then grading and a photo, on one patient: record a medical
history, see the screening per modality with each finding's reason and source,
acknowledge an isotretinoin warning, grade the scars and upload a frontal photo.

Isotretinoin needs a clinician's acknowledgement and never blocks (domain
reference, Decision 3); a pacemaker blocks RF microneedling only.
"""

import re

from harness import TABLET, Context, check
from steps import UUID, grade, make_png, upload



def run(ctx: Context) -> None:
    browser = ctx.browser(label="desktop")
    browser.sign_in()
    browser.go("/patients/new")
    browser.fill("#patient-form", {"givenName": "Scarlett", "familyName": f"Screeningcase{ctx.unique}",
                                   "dateOfBirth": "1992-06-15", "sex": "female"})
    browser.click_and_wait("#patient-save")
    patient_id = browser.wait_for_path(rf"/patients/({UUID})").group(1)
    check(browser.has("#no-intake"), "a new patient shows that no intake is recorded yet")

    browser.click_and_wait("#record-intake")
    browser.fill("#intake-form", {"fitzpatrick": "5", "fitzpatrickMethod": "clinician-assessed",
                                  "isotretinoinStatus": "current"})
    browser.css("#intake-form #pacemakerOrImplantedDevice").click()
    browser.screenshot("intake-form.png")
    browser.click_and_wait("#intake-save")
    browser.wait_for_path(rf"/patients/{patient_id}")
    ctx.log("intake recorded and screened")

    rf = browser.text("#screening-rf-microneedling")
    mn = browser.text("#screening-microneedling")
    check("Not for this modality" in rf, f"RF microneedling is blocked by the pacemaker: {rf[:200]!r}")
    check("Needs clinician acknowledgement" in mn and "Not for this modality" not in mn,
          f"mechanical microneedling only needs acknowledgement: {mn[:300]!r}")
    check("JAMA Dermatol 2017" in mn, "the isotretinoin finding shows its source")
    check("PIH" in mn, "Fitzpatrick V adds PIH guidance")

    reason = browser.css("#screening-microneedling textarea[name=reason]")
    reason.send_keys("Discussed the 2017 consensus with the patient; superficial needling agreed.")
    browser.click_and_wait("#screening-microneedling .ack-form button[type=submit]")
    text = browser.text("#screening-microneedling")
    check("Acknowledged by" in text and "superficial needling agreed" in text, "the acknowledgement is shown with who and why")
    browser.screenshot("patient-screening.png")

    browser.go(f"/patients/{patient_id}")
    grade(browser)
    check(browser.has("svg.face-diagram"), "the graded assessment shows the face diagram")
    photo = make_png(ctx.artifacts / f"frontal-{ctx.unique}.png", 900, 675, (205, 160, 140))
    upload(browser, patient_id, photo, {"view": "frontal"})
    check(browser.has("#photos img"), "the photo strip shows the uploaded photo")
    check(browser.has("#latest-assessment"), "the patient page shows the latest assessment")
    browser.screenshot("patient-screened-graded-photographed.png")
    ctx.log("graded and photographed")

    tablet = ctx.browser(size=TABLET, label="tablet")
    tablet.sign_in()
    tablet.go(f"/patients/{patient_id}")
    tablet.screenshot("patient-screening-tablet.png")
    overflow = tablet.horizontal_overflow()
    check(overflow <= 0, f"the patient page fits a tablet ({overflow}px too wide)")
    tablet.go("/rules")
    check(re.search(r"isotretinoin", tablet.text(), re.IGNORECASE) is not None, "the rules page lists the rules")
    tablet.screenshot("rules-tablet.png")

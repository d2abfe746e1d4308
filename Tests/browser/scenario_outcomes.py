"""Outcomes: a follow-up, the progress page, the course report, and a small split-face study.

A practitioner grades a synthetic patient at baseline and again at follow-up (the
follow-up has fewer scars and one Goodman & Baron grade better), opens the progress
page (charts, "Responder"), the printable course report and the clinic dashboard. Then a split-face study
runs end to end: three patients sign the research consent, are enrolled (the side
is randomized on enrolment), a blinded rater grades each side without seeing the
arms, and the study page shows the paired analysis with n = 3. Screenshots at desktop
and tablet width; no page may overflow sideways.
"""

import datetime
import json
import re
import urllib.error
import urllib.request
import tempfile
from pathlib import Path

from harness import DESKTOP, TABLET, TEST_PASSWORD, Context, check
from steps import ANSWERS, COUNTS, UUID, fail_on_form_error, make_png, register_patient, upload


FOLLOW_UP = {**COUNTS, "zones.left-cheek.ice-pick": "6", "zones.forehead.rolling": "10",
             "gbQuantitative.A1": "5", "gbQuantitative.C1": "10", "ecca.vShapedUnder2mm": "6", "ecca.mShapedOver4mm": "10",
             "notes": "Synthetic follow-up"}
FOLLOW_UP_ANSWERS = {"contourChange": "yes", "obviousAt50cm": "no", "coveredByMakeup": "yes", "flattensOnStretch": "yes"}


def register(browser, given: str, family: str) -> str:
    return register_patient(browser, {"givenName": given, "familyName": family, "dateOfBirth": "1988-03-09", "sex": "female"})


def assess(browser, patient_id: str, on: str, counts: dict, answers: dict) -> None:
    browser.go(f"/patients/{patient_id}/assessments/new")
    browser.fill("#assessment-form", {**counts, "assessedOn": on})
    for key, answer in answers.items():
        browser.css(f"#q-{key}-{answer}").click()
    browser.click_and_wait("#assessment-save")
    fail_on_form_error(browser, f"saving the assessment of {on}")
    browser.wait_for_path(rf"/assessments/{UUID}")


def sign_consent(browser, patient_id: str, signer: str, kind: str = "research") -> None:
    browser.go(f"/patients/{patient_id}/consents/new?kind={kind}")
    check(not browser.has("#no-template"), "the research consent template exists")
    browser.fill("#consent-form", {"signerName": signer})
    browser.css("#agreed").click()
    browser.click_and_wait("#consent-sign")
    fail_on_form_error(browser, "signing the research consent")
    browser.wait_for_path(rf"/consents/{UUID}")


def run(ctx: Context) -> None:
    admin_email = f"outcomes-admin.{ctx.unique.lower()}@test.example"
    rater_email = f"rater.{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    ctx.server.add_user(rater_email, TEST_PASSWORD, "blinded-rater")
    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(admin_email, TEST_PASSWORD)
    admin.go("/consent-templates")
    admin.fill("#template-form", {"kind": "research", "title": "Consent to take part in a split-face study",
                                  "body": "Example wording written by the clinic for this test.\n\nOne side of your face receives "
                                          "one treatment and the other side the other; you may withdraw at any time."})
    admin.click_and_wait("#template-save")
    fail_on_form_error(admin, "adding the research consent template")
    admin.go("/consent-templates")
    admin.fill("#template-form", {"kind": "photo-use", "title": "Use of clinical photographs",
                                  "body": "Example wording written by the clinic for this test.\n\nYour photographs may be graded by a "
                                          "blinded rater for the study; they are never published with your name."})
    admin.click_and_wait("#template-save")
    fail_on_form_error(admin, "adding the photo-use consent template")
    admin.close()

    # --- Baseline and follow-up for one patient, then progress and the course report.
    browser = ctx.browser(DESKTOP, label="practitioner")
    browser.sign_in()
    patient_id = register(browser, "Olga", f"Outcome{ctx.unique}")
    assess(browser, patient_id, "2026-03-02", COUNTS, ANSWERS)
    assess(browser, patient_id, "2026-09-01", FOLLOW_UP, FOLLOW_UP_ANSWERS)
    ctx.log("baseline (grade 3) and follow-up (grade 2) recorded")

    browser.go(f"/patients/{patient_id}/progress")
    check(browser.text("#responder") == "Responder", f"the progress page says {browser.text('#responder')!r}, expected Responder")
    check(len(browser.all("#charts svg")) == 3, "the progress page charts the three scales")
    check("3 → 2" in browser.text("#comparisons"), "the grade change 3 → 2 is shown against baseline")
    check(browser.horizontal_overflow() <= 0, f"progress page overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("outcomes-progress-desktop.png")

    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#report-link")
    browser.wait_for_path(rf"/patients/{patient_id}/report")
    check(f"Outcome{ctx.unique}" in browser.text("#report-patient"), "the course report names the patient")
    check("responder" in browser.text("#report-scores"), "the course report shows the responder follow-up")
    check(browser.has("#report-scores svg"), "the course report charts the scores")
    check(browser.has("#no-adverse-events"), "the course report says there were no adverse events")
    check(browser.horizontal_overflow() <= 0, f"course report overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("outcomes-course-report-desktop.png")
    # The printed copy hides navigation and buttons.
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    check(browser.has(".topbar") and not browser.css(".topbar").is_displayed(), "the printout hides the top bar")
    check(not browser.css("#course-report .actions").is_displayed(), "the printout hides the buttons")
    check(browser.css("#letterhead").is_displayed() and browser.text("#letterhead").startswith(browser.text(".topbar .clinic")),
          "the printout carries the clinic's letterhead")
    browser.screenshot("outcomes-course-report-print.png")
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    ctx.log("progress page and course report checked")

    # The clinic dashboard, where this course joins the others.
    browser.go("/analytics")
    check(browser.has("#patients-treated"), "the dashboard shows the number of patients treated")
    check("18 of 246" in browser.text(), "the dashboard shows the literature adverse-event figure beside the clinic's")
    check(browser.horizontal_overflow() <= 0, f"the dashboard overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("outcomes-dashboard-desktop.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    for path, name in ((f"/patients/{patient_id}/progress", "outcomes-progress-tablet.png"),
                       (f"/patients/{patient_id}/report", "outcomes-course-report-tablet.png")):
        tablet.go(path)
        check(tablet.horizontal_overflow() <= 0, f"{path} overflows by {tablet.horizontal_overflow()}px at tablet width")
        tablet.screenshot(name)
    tablet.close()

    # --- A small split-face study.
    browser.go("/studies")
    browser.fill("#study-form", {"title": f"PRP split-face {ctx.unique}", "armA": "Microneedling + PRP", "armB": "Microneedling + saline",
                                 "outcomeScale": "gb-quantitative", "timePoints": "baseline, 3 months", "targetEnrolment": "3",
                                 "protocol": "Three sessions four weeks apart; per-side quantitative Goodman & Baron."})
    browser.click_and_wait("#study-save")
    fail_on_form_error(browser, "creating the study")
    study_id = browser.wait_for_path(rf"/studies/({UUID})").group(1)

    # Enrolment without a signed research consent is refused with the reason.
    unconsented = register(browser, "Una", f"Noconsent{ctx.unique}")
    mrn = re.search(r"Record (\S+)", browser.text(".pagehead")).group(1)
    browser.go(f"/studies/{study_id}")
    browser.fill("#enrol-form", {"mrn": mrn})
    browser.click_and_wait("#enrol-submit")
    check(browser.has("#form-error") and "research consent" in browser.text("#form-error"),
          "enrolling a patient without research consent is refused with the reason")
    ctx.log(f"enrolment of {unconsented[:8]} without research consent refused")

    for i in range(3):
        pid = register(browser, f"Sofia{i}", f"Splitface{ctx.unique}")
        mrn = re.search(r"Record (\S+)", browser.text(".pagehead")).group(1)
        sign_consent(browser, pid, f"Sofia{i} Splitface{ctx.unique}")
        if i == 0:  # only the first participant allows research use of her photos
            sign_consent(browser, pid, f"Sofia{i} Splitface{ctx.unique}", kind="photo-use")
        folder = Path(tempfile.mkdtemp(prefix="scartrack-outcomes-"))
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        for view, tint in (("oblique-left", (200, 150, 130)), ("oblique-right", (185, 140, 120))):
            upload(browser, pid, make_png(folder / f"{i}-{view}.png", 320, 240, tint), {"view": view, "capturedOn": today})
        browser.go(f"/studies/{study_id}")
        browser.fill("#enrol-form", {"mrn": mrn})
        browser.click_and_wait("#enrol-submit")
        fail_on_form_error(browser, f"enrolling participant {i + 1}")
    rows = browser.all("#participants tbody tr")
    check(len(rows) == 3, f"{len(rows)} participants listed, expected 3")
    check("Microneedling + PRP" in browser.text("#participants"), "the practitioner sees the allocation after enrolment")
    ctx.log("three participants consented, enrolled and randomized")

    rater = ctx.browser(DESKTOP, label="rater")
    rater.sign_in(rater_email, TEST_PASSWORD, landing=r"/(studies)?")  # raters have no patient list
    rater.go(f"/studies/{study_id}")
    check("Microneedling + PRP" not in rater.text("#participants") and "Microneedling + saline" not in rater.text("#participants"),
          "the blinded rater sees no arm labels next to participants")
    check(not rater.has("#analysis"), "the blinded rater sees no analysis")
    check(len(rater.all("#rating-photos img")) == 2, "the rater sees the two side photos of the participant with photo-use consent")
    check(rater.text("#rating-photos").count("Photos withheld: no photo-use consent") == 2,
          "the other participants' photos are withheld for lack of photo-use consent")
    rater.screenshot("outcomes-study-rating-photos.png")
    values = {}
    for n, row in enumerate(rater.all("#rating-form tbody tr")):
        for side, base in (("left", 20), ("right", 24)):
            for field in row.find_elements("css selector", f"input[name$='|{side}']"):
                values[field.get_attribute("name")] = str(base + n)
    check(len(values) == 12, f"{len(values)} rating inputs, expected 3 participants × 2 time points × 2 sides")
    for name, value in values.items():
        rater.driver.find_element("css selector", f"input[name='{name}']").send_keys(value)
    rater.screenshot("outcomes-study-blinded-rating.png")

    # Meanwhile the same side is rated elsewhere (another tab, the API): the whole form is refused,
    # nothing of it is saved, and it comes back with that cell marked and every typed value kept.
    first = sorted(values)[0]
    _, code, time_point, side = first.split("|")
    token = api_token(ctx, rater_email)
    status = api_post(ctx, f"/api/v1/studies/{study_id}/ratings", token,
                      {"participant": code, "timePoint": time_point, "side": side, "value": 30})
    check(status == 201, f"rating one side through the API answered {status}")
    rater.click_and_wait("#rating-save")
    check(rater.has(f".cell-conflict[data-cell='{first}']"), "the conflicting cell is not marked on the refused form")
    kept = [rater.driver.find_element("css selector", f"input[name='{n}']").get_attribute("value") for n in values if n != first]
    check(kept == [values[n] for n in values if n != first], "the refused form lost the typed values")
    rater.screenshot("outcomes-study-rating-conflict-desktop.png")
    rater.driver.set_window_size(*TABLET)
    check(rater.horizontal_overflow() <= 0, "the refused rating form is wider than a tablet")
    rater.screenshot("outcomes-study-rating-conflict-tablet.png")
    rater.driver.set_window_size(*DESKTOP)
    del values[first]
    rater.click_and_wait("#rating-save")
    fail_on_form_error(rater, "saving blinded ratings")
    check(not rater.all("#rating-form input[name^='r|']"), "every side is rated and no longer editable")
    ctx.log("blinded rater graded 12 sides")

    browser.go(f"/studies/{study_id}")
    analysis = browser.text("#analysis")
    check(re.search(r"3 months\s+3\b", analysis) is not None, f"the analysis shows n = 3 at 3 months: {analysis!r}")
    check(browser.horizontal_overflow() <= 0, f"study page overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("outcomes-study-analysis-desktop.png")
    ctx.log("study analysis shown with n = 3")


def api_token(ctx: Context, email: str) -> str:
    request = urllib.request.Request(ctx.url("/api/v1/auth/sessions"), method="POST",
                                     data=json.dumps({"email": email, "password": TEST_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)["token"]


def api_post(ctx: Context, path: str, token: str, body: dict) -> int:
    request = urllib.request.Request(ctx.url(path), method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code

"""Scar assessments: record one through the form, read it back, on desktop and tablet.

A practitioner registers an obviously synthetic patient, opens "New assessment"
from the patient page, types zone counts and the three scales' inputs (the
domain reference's worked examples: G&B quantitative 16, ECCA 125), answers the
four yes/no questions and saves. The assessment page must show those totals,
the SVG face diagram with a zone count, and no horizontal page overflow at
desktop or tablet width. Screenshots of the form and the page are kept.
"""

import re

from harness import TABLET, Context, check
from steps import ANSWERS, COUNTS, UUID


def run(ctx: Context) -> None:
    browser = ctx.browser(label="desktop")
    browser.sign_in()
    browser.go("/patients/new")
    browser.fill("#patient-form", {"givenName": "Synthia", "familyName": f"Assessment{ctx.unique}",
                                   "dateOfBirth": "1990-06-15", "sex": "female"})
    browser.click_and_wait("#patient-save")
    patient_id = browser.wait_for_path(rf"/patients/({UUID})").group(1)
    check(browser.has("#scar-assessments"), "the patient page has a Scar assessments card")

    browser.click_and_wait("#new-assessment")
    browser.wait_for_path(rf"/patients/{patient_id}/assessments/new")
    # One scar count, three scores: ice pick counts in the grid fill the ECCA V-shaped item as they are typed.
    browser.fill("#assessment-form", {"zones.nose.ice-pick": "2", "zones.left-cheek.ice-pick": "3"})
    filled = browser.css('[name="ecca.vShapedUnder2mm"]').get_attribute("value")
    check(filled == "5", f"the ECCA ice-pick item holds {filled!r} after 2 + 3 ice pick scars in the grid")
    # Live scores: the prefilled item counts at once (5 ice pick scars: weight 15 × grade 2).
    check(browser.text("#ecca-live-total") == "30", f"the live ECCA total after 5 ice pick scars is {browser.text('#ecca-live-total')!r}")
    check(browser.text("#gbq-live-total") == "0", f"the live G&B quantitative total with no row typed is {browser.text('#gbq-live-total')!r}")
    check(browser.text("#gbl-live-grade") == "—", "no qualitative grade before the four answers")
    browser.fill("#assessment-form", COUNTS)
    # COUNTS types 25 for the M-shaped item while the grid holds 25 + 4 rolling scars: kept as typed, and flagged.
    warning = browser.css('[data-disagree-for="ecca.mShapedOver4mm"]')
    check(warning.is_displayed() and "25 entered; the zone counts give 29" in warning.text,
          f"the M-shaped item's disagreement note reads {warning.text!r}")
    browser.css("#blinded").click()
    for key, answer in ANSWERS.items():
        browser.css(f"#q-{key}-{answer}").click()
    live = {name: browser.text(f"#{name}") for name in ("gbq-live-total", "ecca-live-total", "gbl-live-grade")}
    check(live == {"gbq-live-total": "16", "ecca-live-total": "125", "gbl-live-grade": "3"}, f"the live totals read {live}")
    check("16" in browser.text("#live-summary") and "125" in browser.text("#live-summary"), f"the summary by Save reads {browser.text('#live-summary')!r}")
    check(browser.horizontal_overflow() <= 0, f"assessment form overflows by {browser.horizontal_overflow()}px at desktop width")
    browser.screenshot("assessment-form-desktop.png")
    browser.click_and_wait("#assessment-save")
    if browser.has("#form-error"):
        raise AssertionError(f"saving the assessment failed: {browser.text('#form-error')}")
    assessment_id = browser.wait_for_path(rf"/assessments/({UUID})").group(1)
    check(browser.text("#gbq-total") == "16", f"G&B quantitative total is {browser.text('#gbq-total')}, expected 16")
    check(browser.text("#ecca-total") == "125", f"ECCA total is {browser.text('#ecca-total')}, expected 125")
    check(browser.text("#gbl-grade") == "3", f"G&B qualitative grade is {browser.text('#gbl-grade')}, expected 3")
    saved = {"gbq-live-total": browser.text("#gbq-total"), "ecca-live-total": browser.text("#ecca-total"), "gbl-live-grade": browser.text("#gbl-grade")}
    check(saved == live, f"the saved totals {saved} differ from the live ones {live}")
    check(browser.has("svg.face-diagram"), "the assessment page shows the face diagram")
    cheek = browser.css("#face-diagram-left-cheek").get_attribute("aria-label")
    check(cheek == "Left cheek: 15 scars", f"left cheek zone says {cheek!r}")
    check(browser.has("#count-disagreements"), "the saved assessment names the items that differ from the zone counts")
    check(browser.horizontal_overflow() <= 0, f"assessment page overflows by {browser.horizontal_overflow()}px at desktop width")
    browser.screenshot("assessment-page-desktop.png")
    browser.go(f"/patients/{patient_id}")
    check(re.search(assessment_id, browser.driver.page_source) is not None, "the patient page links the new assessment")
    browser.screenshot("patient-page-with-assessment.png")
    ctx.log(f"recorded assessment {assessment_id}")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    for path, name in [(f"/patients/{patient_id}/assessments/new", "assessment-form-tablet.png"),
                       (f"/assessments/{assessment_id}", "assessment-page-tablet.png"),
                       (f"/patients/{patient_id}", "patient-page-tablet.png")]:
        tablet.go(path)
        check(tablet.horizontal_overflow() <= 0, f"{path} overflows by {tablet.horizontal_overflow()}px at tablet width")
        tablet.screenshot(name)

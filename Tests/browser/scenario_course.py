"""Course: from an approved plan to a booked series, one session moved.

An admin adds a room and gives every practitioner working hours. A practitioner
registers a synthetic patient, records an intake (screened) and a scar assessment
(graded), plans a course from an example protocol template and approves it. The plan
page then offers "Book the series": the booking form takes the plan's sessions and
interval (shown, not editable), proposes the dates, and one click books them, each
appointment carrying the plan. Session 2 is moved two weeks later; session 3 follows
to keep the minimum interval. The patient's course timeline is screenshotted at
1366×900 and 820×1180 and checked for horizontal overflow.
"""

import datetime
import re

from harness import DESKTOP, TABLET, TEST_PASSWORD, Context, check
from steps import PATIENT_PAGE, UUID, grade, record_intake, register_patient, synthetic_patient


def run(ctx: Context) -> None:
    admin_email = f"course-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(admin_email, TEST_PASSWORD)
    admin.go("/schedule/admin")
    admin.fill("#room-form", {"name": f"Course room {ctx.unique}"})
    admin.click_and_wait("#add-room")
    admin.open_details('details.hours-block')
    # Ids first: every save reloads the page, so elements found before it go stale.
    staff_ids = [block.get_attribute("id").removeprefix("hours-") for block in admin.all("details.hours-block")]
    for staff_id in staff_ids:
        admin.fill(f"#hours-form-{staff_id}", {f"{k}{d}": v for d in range(1, 8) for k, v in (("start", "08:00"), ("end", "19:00"))})
        admin.driver.execute_script("arguments[0].submit()", admin.css(f"#hours-form-{staff_id}"))
        admin.wait_for_path(r"/schedule/admin")
        admin.open_details('details.hours-block')
    check(not admin.has("#admin-error"), f"saving hours failed: {admin.text('main')[:300]}")
    check(admin.has("#room-list"), "the rooms are listed as editable rows")
    check(admin.horizontal_overflow() <= 0, f"the schedule admin page overflows by {admin.horizontal_overflow()}px")
    admin.screenshot("course-schedule-admin-desktop.png")

    # Screen and grade a synthetic patient.
    browser = ctx.browser(DESKTOP, label="desktop")
    browser.sign_in()
    patient_id = register_patient(browser, synthetic_patient(ctx.unique))
    record_intake(browser, patient_id, {"fitzpatrick": "2", "fitzpatrickMethod": "clinician-assessed", "isotretinoinStatus": "never"})
    grade(browser)
    ctx.log("screened and graded")

    # Plan from an example template and approve it.
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#new-plan")
    browser.click_and_wait("#template-choice button[type=submit]")
    browser.fill("#plan-form", {"sessions": "3", "intervalDays": "28",
                                "rationale": "Mixed atrophic scarring; a standard course of three sessions to start."})
    browser.click_and_wait("#plan-save")
    if browser.has("#form-error"):
        raise AssertionError(f"saving the plan failed: {browser.text('#form-error')}")
    plan_id = browser.wait_for_path(rf"/plans/({UUID})").group(1)
    check(not browser.has("#book-plan-series"), "a draft plan offers booking")
    browser.click_and_wait("#approve-plan")
    check(browser.text("#plan-status") == "Approved", f"the plan is approved: {browser.text('#plan-status')!r}")
    ctx.log(f"plan {plan_id} approved")

    # Book the series of the approved plan.
    browser.click_and_wait("#book-plan-series")
    check(browser.has("#plan-booking"), "the booking form shows the plan's series")
    check(browser.text("#plan-sessions") == "3", f"the plan's 3 sessions are taken: {browser.text('#plan-sessions')!r}")
    check(not browser.has("#count"), "the plan's session count is not editable in the form")
    # Afternoon slots on other days than the schedule scenario's (same server, same practitioner).
    first = datetime.date.today() + datetime.timedelta(days=9)
    room = [o.get_attribute("value") for o in browser.all("#roomId option") if o.text == f"Course room {ctx.unique}"][0]
    browser.fill("#series-form", {"date": first.isoformat(), "time": "14:00", "roomId": room, "followUpMonths": "1, 3, 6, 12"})
    browser.click_and_wait("#preview-series")
    check(browser.has("#proposal-list") and not browser.has("#unplaced"), f"no placed proposal: {browser.text('main')[:400]}")
    rows = browser.all("#proposal-list tbody tr")
    check(len(rows) == 7, f"expected 3 sessions and 4 follow-ups, got {len(rows)} rows")
    check(browser.horizontal_overflow() <= 0, "the booking page overflows on desktop")
    browser.screenshot("course-proposal-desktop.png")
    browser.click_and_wait("#confirm-series")
    browser.wait_for_path(PATIENT_PAGE)
    timeline = browser.all("#course-timeline li")
    check(len(timeline) == 7, f"the course timeline shows {len(timeline)} items")
    check(not browser.has(".book-plan"), "the booked plan is still offered for booking")
    ctx.log("booked the plan's series: 3 sessions and 4 follow-ups")

    # Move session 2 two weeks later: session 3 keeps the minimum interval.
    second = browser.all("#course-timeline li a")[1].get_attribute("href")
    browser.go(re.sub(r"^https?://[^/]+", "", second))
    check("from the treatment plan" in browser.text("main"), "the appointment says it comes from the plan")
    moved_day = first + datetime.timedelta(days=28 + 14)
    browser.fill("#reschedule-form", {"date": moved_day.isoformat(), "time": "15:00"})
    browser.click_and_wait("#reschedule")
    check(not browser.has("#appointment-error"), f"moving failed: {browser.text('main')[:300]}")
    browser.go(f"/patients/{patient_id}")
    text = browser.text("#course-timeline")
    check(moved_day.strftime("%-d %b %Y") in text, f"session 2 is not on {moved_day}: {text}")
    check(browser.horizontal_overflow() <= 0, "the patient page overflows on desktop")
    browser.driver.execute_script("document.getElementById('course').scrollIntoView()")
    browser.screenshot("course-timeline-desktop.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    tablet.go(f"/patients/{patient_id}")
    check(tablet.horizontal_overflow() <= 0, f"the patient page is {tablet.horizontal_overflow()}px too wide on a tablet")
    tablet.driver.execute_script("document.getElementById('course').scrollIntoView()")
    tablet.screenshot("course-timeline-tablet.png")
    tablet.go(f"/plans/{plan_id}")
    check(tablet.horizontal_overflow() <= 0, "the plan page overflows on a tablet")
    tablet.screenshot("course-plan-tablet.png")
    tablet.go(f"/patients/{patient_id}/book?plan={plan_id}")
    check(tablet.horizontal_overflow() <= 0, "the plan booking form overflows on a tablet")
    tablet.screenshot("course-book-tablet.png")

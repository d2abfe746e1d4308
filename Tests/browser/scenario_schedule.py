"""Schedule: book a treatment series, move one session, read the patient's calendar feed.

An admin adds a room and an RF device and gives the practitioner working hours. The
practitioner registers a synthetic patient, books three RF sessions four weeks apart with
follow-ups at 1 and 3 months (the proposed dates are shown before confirming), moves the
second session two weeks later (the third follows to keep the minimum interval), and the
patient page's Course card shows the timeline (screenshots at desktop and tablet widths).
A calendar link is created and the feed is parsed with the independent `icalendar`
package: stable UIDs, SEQUENCE bumped by the move, STATUS:CANCELLED after a cancellation.
"""

import datetime
import re
import urllib.request

from harness import DESKTOP, TABLET, TEST_PASSWORD, Context, check
from steps import PATIENT_PAGE, UUID, register_patient, synthetic_patient


def run(ctx: Context) -> None:
    import icalendar  # Tests/requirements.txt

    admin_email = f"sched-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    # A practitioner of this scenario's own: the booking form preselects whoever is signed in, and the
    # shared practitioner's diary already holds other scenarios' bookings on the same server.
    practitioner_email = f"sched-practitioner-{ctx.unique}@test.example"
    ctx.server.add_user(practitioner_email, TEST_PASSWORD, "practitioner")
    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(admin_email, TEST_PASSWORD)
    admin.go("/schedule/admin")
    admin.fill("#room-form", {"name": f"Room {ctx.unique}"})
    admin.click_and_wait("#add-room")
    admin.fill("#device-form", {"name": f"RF {ctx.unique}", "modality": "rf-microneedling"})
    admin.click_and_wait("#add-device")
    hours = admin.all("details.hours-block")
    check(len(hours) >= 1, "the admin page lists no practitioner to give hours")
    admin.open_details('details.hours-block')
    # Ids first: every save reloads the page, so elements found before it go stale.
    staff_ids = [block.get_attribute("id").removeprefix("hours-") for block in hours]
    for staff_id in staff_ids:
        admin.fill(f"#hours-form-{staff_id}", {f"{k}{d}": v for d in range(1, 8) for k, v in (("start", "08:00"), ("end", "19:00"))})
        admin.driver.execute_script("arguments[0].submit()", admin.css(f"#hours-form-{staff_id}"))
        admin.wait_for_path(r"/schedule/admin")
        admin.open_details('details.hours-block')
    check("08:00–19:00" in admin.text("#hours"), "working hours were not saved")
    admin.screenshot("schedule-admin-desktop.png")
    ctx.log("admin added a room, an RF device and working hours")

    browser = ctx.browser(DESKTOP, label="desktop")
    browser.sign_in(practitioner_email, TEST_PASSWORD)
    patient_id = register_patient(browser, synthetic_patient(ctx.unique))
    check(browser.has("#no-course"), "a new patient's Course card is not empty")

    browser.click_and_wait("#book-series")
    first = datetime.date.today() + datetime.timedelta(days=7)
    room = [o.get_attribute("value") for o in browser.all("#roomId option") if o.text == f"Room {ctx.unique}"][0]
    device = [o.get_attribute("value") for o in browser.all("#deviceId option") if o.text.startswith(f"RF {ctx.unique}")][0]
    browser.fill("#series-form", {"modality": "rf-microneedling", "count": "3", "intervalDays": "28", "minimumIntervalDays": "21",
                                  "date": first.isoformat(), "time": "10:00", "roomId": room, "deviceId": device,
                                  "followUpMonths": "1, 3"})
    browser.click_and_wait("#preview-series")
    check(browser.has("#proposal-list") and not browser.has("#unplaced"), f"no placed proposal: {browser.text('main')[:400]}")
    rows = browser.all("#proposal-list tbody tr")
    check(len(rows) == 5, f"expected 3 sessions and 2 follow-ups, got {len(rows)} rows")
    browser.screenshot("schedule-proposal-desktop.png")
    browser.click_and_wait("#confirm-series")
    browser.wait_for_path(PATIENT_PAGE)
    timeline = browser.all("#course-timeline li")
    check(len(timeline) == 5, f"the course timeline shows {len(timeline)} items")
    ctx.log("booked 3 RF sessions and 2 follow-ups in one action")

    # Move session 2 two weeks later: session 3 follows (21-day minimum).
    second = browser.all("#course-timeline li a")[1].get_attribute("href")
    browser.go(re.sub(r"^https?://[^/]+", "", second))
    moved_day = first + datetime.timedelta(days=28 + 14)
    browser.fill("#reschedule-form", {"date": moved_day.isoformat(), "time": "11:00"})
    browser.click_and_wait("#reschedule")
    check(not browser.has("#appointment-error"), f"moving failed: {browser.text('main')[:300]}")
    browser.go(f"/patients/{patient_id}")
    text = browser.text("#course-timeline")
    third_day = (moved_day + datetime.timedelta(days=21)).strftime("%-d %b %Y")
    check(third_day in text, f"session 3 did not move to {third_day}: {text}")
    check(browser.horizontal_overflow() <= 0, "the patient page overflows on desktop")
    browser.screenshot("schedule-course-desktop.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in(practitioner_email, TEST_PASSWORD)
    tablet.go(f"/patients/{patient_id}")
    check(tablet.horizontal_overflow() <= 0, f"the patient page is {tablet.horizontal_overflow()}px too wide on a tablet")
    tablet.screenshot("schedule-course-tablet.png")
    tablet.go(f"/schedule/week?date={moved_day.isoformat()}")
    check(tablet.horizontal_overflow() <= 0, "the week calendar overflows on a tablet")
    tablet.screenshot("schedule-week-tablet.png")
    browser.go(f"/schedule?date={first.isoformat()}")
    browser.screenshot("schedule-day-desktop.png")

    # Cancel the first session, then read the patient's feed with an independent parser.
    browser.go(re.sub(r"^https?://[^/]+", "", browser_first_link(browser, patient_id)))
    browser.click_and_wait("#cancel")
    check("cancelled" in browser.text("#appointment-status"), "cancelling did not work")
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#create-calendar-link")
    path = browser.css("#calendar-path").get_attribute("href")
    with urllib.request.urlopen(path) as response:
        check(response.headers["Content-Type"].startswith("text/calendar"), "the feed is not text/calendar")
        raw = response.read()
    check(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "the feed does not use CRLF line endings")
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk("VEVENT")]
    check(len(events) == 5, f"the feed has {len(events)} events")
    uids = [str(e["UID"]) for e in events]
    check(len(set(uids)) == 5 and all(re.fullmatch(UUID + "@scartrack", u) for u in uids), f"UIDs {uids}")
    by_seq = sorted(int(e["SEQUENCE"]) for e in events)
    # Session 1 was cancelled, session 2 moved, session 3 and both follow-ups followed it: each changed once.
    check(by_seq == [1, 1, 1, 1, 1], f"SEQUENCE values {by_seq} (every event changed once)")
    statuses = sorted(str(e["STATUS"]) for e in events)
    check(statuses == ["CANCELLED"] + ["CONFIRMED"] * 4, f"STATUS values {statuses}")
    check(all(str(e["SUMMARY"]).startswith("Appointment at ") for e in events), "a feed event names more than the clinic")
    ctx.log("the patient's feed parses with icalendar: 5 UIDs, SEQUENCE and STATUS as expected")
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#revoke-calendar-link")
    try:
        urllib.request.urlopen(path)
        check(False, "a revoked feed still answers")
    except urllib.error.HTTPError as error:
        check(error.code == 404, f"a revoked feed answers {error.code}")


def browser_first_link(browser, patient_id: str) -> str:
    browser.go(f"/patients/{patient_id}")
    return browser.all("#course-timeline li a")[0].get_attribute("href")

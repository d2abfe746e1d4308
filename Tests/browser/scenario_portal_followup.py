"""The portal at the follow-ups (issue 14): outcome questions at a follow-up visit on a phone
(390 x 844) and a laptop (1366 x 900), the patient's photos side by side, and a request to change
an appointment that shows on the clinic's day home, where front desk accepts it.

Through the API an admin gives a new practitioner working hours and a room, books a synthetic
patient a session five weeks ago with its 1-month follow-up (so the follow-up is due now) and a
session in ten days, uploads a first and a latest frontal photo, and sets the portal up: photos
shown, and two ACNE-Q items typed as from a licensed copy. The patient answers on a phone, sees
the photos, asks to change the coming session; front desk moves it from the day home. The clinic's
portal settings are put back at the end (the clinic is shared with the other scenarios).
"""

import datetime

from harness import DESKTOP, TABLET, Context, check
from api import Api, token, upload_photo

PHONE = (390, 844)
ITEMS = [{"id": "scar-1", "text": "Item 1 wording, as printed in the clinic's licensed copy"},
         {"id": "scar-2", "text": "Item 2 wording, as printed in the clinic's licensed copy"},
         {"id": "scar-3", "text": "Item 3 wording, as printed in the clinic's licensed copy"}]


def fits(browser, what: str) -> None:
    check(browser.horizontal_overflow() <= 1, f"{what} fits the window without sideways scrolling")


def book(api: Api, pid: str, start: datetime.date, practitioner: str, room: str, months: list[int]) -> list[dict]:
    status, series, _ = api.call("POST", f"/api/v1/patients/{pid}/appointment-series", {
        "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": f"{start.isoformat()}T10:00",
        "practitionerId": practitioner, "roomId": room, "followUpMonths": months})
    check(status == 201, f"booking: {status} {series}")
    return series["appointments"]


def sign_in_portal(browser, email: str, code: str) -> None:
    browser.go("/portal/signin/code")
    browser.fill("#portal-code-form", {"email": email, "code": code})
    browser.click_and_wait("#portal-code-submit")
    browser.wait_for_path(r"/portal$")


def run(ctx: Context) -> None:
    base = ctx.server.base_url
    admin_email, doctor_email, desk_email = (f"{r}-fu-{ctx.unique}@test.example" for r in ("admin", "doctor", "desk"))
    ctx.server.add_user(admin_email, ctx.password, "admin")
    ctx.server.add_user(doctor_email, ctx.password, "practitioner")
    ctx.server.add_user(desk_email, ctx.password, "front-desk")
    admin, doctor = Api(base, token(base, admin_email)), Api(base, token(base, doctor_email))
    _, me, _ = doctor.call("GET", "/api/v1/me")
    status, room, _ = admin.call("POST", "/api/v1/schedule/rooms", {"name": f"Follow-up room {ctx.unique}"})
    check(status == 201, f"room: {status} {room}")
    hours = [{"weekday": d, "start": "06:00", "end": "21:00"} for d in range(1, 8)]
    status, body, _ = admin.call("PUT", f"/api/v1/schedule/practitioners/{me['id']}/hours", {"hours": hours})
    check(status == 204, f"hours: {status} {body}")
    email = f"synthia.followup.{ctx.unique.lower()}@example.com"
    status, patient, _ = doctor.call("POST", "/api/v1/patients", {
        "givenName": "Synthia", "familyName": f"Followup{ctx.unique}", "dateOfBirth": "1991-02-03", "sex": "female", "email": email})
    check(status == 201, f"patient: {status} {patient}")
    pid, today = patient["id"], datetime.date.today()
    past = book(doctor, pid, today - datetime.timedelta(days=35), me["id"], room["id"], [1])
    follow_up = next(a for a in past if a["kind"] == "follow-up")
    coming = book(doctor, pid, today + datetime.timedelta(days=10), me["id"], room["id"], [])[0]
    for day, notes in ((today - datetime.timedelta(days=35), "baseline"), (today, "latest")):
        check(upload_photo(base, doctor.token, pid, day.isoformat(), notes) == 201, f"{notes} photo")
    _, before, _ = admin.call("GET", "/api/v1/portal-settings")
    status, body, _ = admin.call("PUT", "/api/v1/portal-settings", {"showPhotos": True, "changeNoticeHours": 48,
                                                                     "outcomeVersion": "licensed-1", "outcomeItems": ITEMS})
    check(status == 200, f"portal settings: {status} {body}")
    try:
        walk(ctx, doctor, pid, email, follow_up, coming, desk_email)
    finally:
        status, body, _ = admin.call("PUT", "/api/v1/portal-settings", before)
        check(status == 200, f"restoring the portal settings: {status} {body}")


def walk(ctx: Context, doctor: Api, pid: str, email: str, follow_up: dict, coming: dict, desk_email: str) -> None:
    status, invited, _ = doctor.call("POST", f"/api/v1/patients/{pid}/portal-invitation", {"email": email, "channel": "desk"})
    check(status == 201, f"invitation: {status} {invited}")
    phone = ctx.browser(PHONE, label="phone")
    sign_in_portal(phone, email, invited["deskCode"])
    phone.click_and_wait("#portal-nav-follow-up")
    phone.wait_for_path(r"/portal/follow-up")
    page = phone.text("main")
    check("1-month follow-up" in page and "Item 2 wording" in page, "the open follow-up and the clinic's items")
    check(len(phone.all("#follow-up-form input[type=radio]")) == 12, "four labelled answers per item")
    check("[C" not in page and "Decision" not in page and "§" not in page, "no internal markers on the patient's screen")
    fits(phone, "the follow-up questions")
    phone.screenshot("followup-phone-questions.png")
    # The laptop: the same patient with a new desk code sees the same open questions.
    _, again, _ = doctor.call("POST", f"/api/v1/patients/{pid}/portal-invitation", {"email": email, "channel": "desk"})
    laptop = ctx.browser(DESKTOP, label="laptop")
    sign_in_portal(laptop, email, again["deskCode"])
    laptop.go("/portal/follow-up")
    check(len(laptop.all("#follow-up-form input[type=radio]")) == 12, "the laptop shows the same questions")
    laptop.screenshot("followup-laptop-questions.png")
    phone.css("#q1-1").click()
    # The browser itself asks for every item (required); without that check the server refuses the same, beside the item.
    phone.driver.execute_script("document.querySelectorAll('#follow-up-form [required]').forEach(e => e.removeAttribute('required'))")
    phone.click_and_wait("#send-follow-up")
    check(phone.has("#form-error") and "please choose an answer" in phone.text("#item-2"), "a question left out is refused beside it")
    check(phone.css("#q1-1").is_selected(), "the answer given is kept")
    phone.screenshot("followup-phone-refused.png")
    phone.css("#q2-0").click()
    phone.css("#q3-3").click()
    phone.click_and_wait("#send-follow-up")
    check(phone.has("#follow-up-sent") and "answered" in phone.text("main"), "the answers are sent once")
    phone.screenshot("followup-phone-sent.png")

    phone.click_and_wait("#portal-photos-link")
    check(len(phone.all(".portal-photo-pair img")) == 2 and "First" in phone.text("main") and "Latest" in phone.text("main"),
          "the first and the latest frontal photo side by side")
    fits(phone, "the photos page")
    phone.screenshot("followup-phone-photos.png")

    phone.click_and_wait("#portal-nav-home")
    phone.click_and_wait(f"a[href='/portal/appointments/{coming['id']}/change']")
    phone.screenshot("followup-phone-change-form.png")
    fits(phone, "the change form")
    phone.css("#kind-change").click()
    phone.fill("#change-form", {"reason": "I am away that week; any afternoon the week after suits me."})
    phone.click_and_wait("#send-change")
    phone.wait_for_path(r"/portal$")
    check(phone.has("#change-asked") and "the clinic will get back to you" in phone.text("#portal-appointments"), "the request state shows")
    phone.css("#portal-appointments").location_once_scrolled_into_view
    phone.screenshot("followup-phone-change-sent.png")

    # Back on the laptop: the follow-up shows answered.
    laptop.go("/portal")
    laptop.screenshot("followup-laptop-home.png")
    laptop.go("/portal/follow-up")
    check("answered, thank you" in laptop.text("main"), "the laptop shows the follow-up answered")
    laptop.screenshot("followup-laptop-answered.png")
    laptop.go("/portal/photos")
    laptop.screenshot("followup-laptop-photos.png")
    tablet_patient = ctx.browser(TABLET, label="tablet-patient")
    _, third, _ = doctor.call("POST", f"/api/v1/patients/{pid}/portal-invitation", {"email": email, "channel": "desk"})
    sign_in_portal(tablet_patient, email, third["deskCode"])
    tablet_patient.go("/portal/photos")
    fits(tablet_patient, "the photos page on a tablet")
    tablet_patient.screenshot("followup-tablet-photos.png")

    # Front desk: the request on the day home; accept it with the new time.
    desk = ctx.browser(DESKTOP, label="desk")
    desk.sign_in(desk_email, ctx.password)
    check(desk.has("#change-requests"), "the day home lists requests from patients")
    requests = desk.text("#change-requests")
    check(f"Followup{ctx.unique}" in requests and "asks to change the time" in requests and "any afternoon" in requests, f"the request: {requests!r}")
    desk.css("#change-requests").location_once_scrolled_into_view
    desk.screenshot("followup-day-home-request.png")
    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in(desk_email, ctx.password)
    check(tablet.has("#change-requests"), "the request on the day home on a tablet")
    fits(tablet, "the day home on a tablet")
    tablet.css("#change-requests").location_once_scrolled_into_view
    tablet.screenshot("followup-day-home-tablet.png")
    new_day = (datetime.date.today() + datetime.timedelta(days=17)).isoformat()
    form = desk.all("#change-requests form")[0]
    date_input = form.find_element("css selector", "input[type=date]")
    time_input = form.find_element("css selector", "input[type=time]")
    for element, value in ((date_input, new_day), (time_input, "14:00")):
        desk.driver.execute_script("arguments[0].value = arguments[1];", element, value)
    desk.click_and_wait("#change-requests button.primary")
    check(not desk.has("#change-requests") or f"Followup{ctx.unique}" not in desk.text("#change-requests"), "accepted: the request leaves the day home")
    _, listed, _ = doctor.call("GET", f"/api/v1/patients/{pid}/appointments")
    moved = next(a for a in listed["appointments"] if a["id"] == coming["id"])
    check(moved["start"].startswith(new_day), f"the session moved through the schedule: {moved['start']}")

    phone.go("/portal")
    check("Accepted" in phone.text("#portal-appointments"), "the patient sees the request accepted")
    phone.css("#portal-appointments").location_once_scrolled_into_view
    phone.screenshot("followup-phone-accepted.png")

    clinic = ctx.browser(DESKTOP, label="clinic")
    clinic.sign_in()
    clinic.go(f"/patients/{pid}/progress")
    check("the patient (portal)" in clinic.text("#reported-outcomes") and "ACNE-Q" in clinic.text("#reported-outcomes"),
          "the progress page shows the answers and who entered them")
    clinic.css("#reported-outcomes").location_once_scrolled_into_view
    clinic.screenshot("followup-progress.png")
    clinic.go(f"/patients/{pid}/report")
    check("the patient (portal)" in clinic.text("#report-reported-outcomes"), "the course report shows them too")
    clinic.css("#report-reported-outcomes").location_once_scrolled_into_view
    clinic.screenshot("followup-course-report.png")
    ctx.log("follow-up questions answered on a phone, photos side by side, a change request accepted by front desk")

"""The clinic's day: where staff land after sign-in.

Through the API an admin sets up a room and working hours; three synthetic patients are
booked for sessions today: one ready (intake, approved plan, signed consent), one without a
consent, one whose intake contraindicates treatment. The practitioner signs in, lands on the
day, sees each visit's readiness (ready / "1 to do: consent" / "Stop: ..."), checks a patient
in with one click and is taken to the visit, from where the chart is one click away.
Screenshots at laptop and tablet sizes; no horizontal overflow on the tablet.
"""

import datetime

from harness import DESKTOP, TABLET, TEST_PASSWORD, Context, check
from api import Api, token


def booked_patient(api: Api, ctx: Context, family: str, practitioner: str, room: str, slots: list[str], intake: dict,
                   plan: bool, consent: bool, news: dict | None = None) -> str:
    """`news`: an intake recorded after the plan was approved (what the patient tells the desk later).
    `slots`: today's free times to try, in order; the one booked is taken off the list."""
    status, patient, _ = api.call("POST", "/api/v1/patients", {"givenName": "Synthia", "familyName": f"{family}{ctx.unique}",
                                                                "dateOfBirth": "1990-04-12", "sex": "female"})
    check(status == 201, f"registering {family}: {status} {patient}")
    pid = patient["id"]
    status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/intakes", intake)
    check(status == 201, f"intake for {family}: {status} {body}")
    if plan:
        _, templates, _ = api.call("GET", "/api/v1/protocol-templates")
        template = next(t for t in templates["items"] if t["modality"] == "microneedling" and t["isExample"])
        status, created, etag = api.call("POST", f"/api/v1/patients/{pid}/plans",
                                         {"templateId": template["id"], "rationale": "Rolling scars; standard course."})
        check(status == 201, f"plan for {family}: {status} {created}")
        status, body, _ = api.call("POST", f"/api/v1/plans/{created['id']}/approve", if_match=etag)
        check(status == 200, f"approving the plan of {family}: {status} {body}")
    if consent:
        status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/consents",
                                   {"kind": "microneedling", "signerName": f"Synthia {family}", "agreed": True})
        check(status == 201, f"consent for {family}: {status} {body}")
    if news:
        status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/intakes", news)
        check(status == 201, f"new intake for {family}: {status} {body}")
    today = datetime.date.today().isoformat()
    # Other scenarios book the same practitioner too, one of them at "now" (a follow-up moved to the
    # current time), so a fixed hour collides when the run starts near it: take the next free hour.
    status, body, time = 0, None, None
    while slots and status != 201:
        time = slots.pop(0)
        status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/appointment-series", {
            "modality": "microneedling", "count": 1, "intervalDays": 28, "minimumIntervalDays": 21, "start": f"{today}T{time}",
            "practitionerId": practitioner, "roomId": room, "followUpMonths": []})
        check(status in (201, 409), f"booking {family} today at {time}: {status} {body}")
    check(status == 201, f"booking {family} today: no free hour left ({time}: {status} {body})")
    return body["appointments"][0]["id"]


def run(ctx: Context) -> None:
    admin_email = f"day-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    base = ctx.server.base_url
    admin = Api(base, token(base, admin_email))
    practitioner = Api(base, token(base, ctx.email))
    _, me, _ = practitioner.call("GET", "/api/v1/me")
    status, room, _ = admin.call("POST", "/api/v1/schedule/rooms", {"name": f"Day room {ctx.unique}"})
    check(status == 201, f"room: {status} {room}")
    hours = [{"weekday": d, "start": "06:00", "end": "21:00"} for d in range(1, 8)]
    status, body, _ = admin.call("PUT", f"/api/v1/schedule/practitioners/{me['id']}/hours", {"hours": hours})
    check(status == 204, f"hours: {status} {body}")
    status, body, _ = admin.call("POST", "/api/v1/consent-templates", {
        "kind": "microneedling", "title": "Consent to microneedling", "body": "What the treatment is.\n\nRisks and alternatives."})
    check(status in (201, 409), f"consent template: {status} {body}")
    # Early slots, an hour apart (a session takes an hour), so that other scenarios' bookings for the same practitioner
    # rarely collide; a slot taken anyway is skipped.
    slots = [f"{hour:02d}:00" for hour in range(6, 21)]
    ready = booked_patient(practitioner, ctx, "Ready", me["id"], room["id"], slots, {"fitzpatrick": 2}, plan=True, consent=True)
    todo = booked_patient(practitioner, ctx, "Noconsent", me["id"], room["id"], slots, {"fitzpatrick": 3}, plan=True, consent=False)
    stop = booked_patient(practitioner, ctx, "Pregnant", me["id"], room["id"], slots, {"fitzpatrick": 4}, plan=True, consent=True,
                          news={"fitzpatrick": 4, "pregnantOrBreastfeeding": True})
    ctx.log("booked three sessions for today through the API")

    browser = ctx.browser(DESKTOP, label="desktop")
    browser.sign_in()
    check(browser.path == "/", f"sign-in did not land on the clinic's day but on {browser.path}")
    check(browser.has(f"#visit-{ready}") and browser.has(f"#visit-{todo}") and browser.has(f"#visit-{stop}"),
          "the day does not list the three visits")
    summary = browser.text(f"#summary-{ready}")
    check(summary == "1 to do: before-photos", f"the patient with everything but today's photos reads {summary!r}")
    check("consent" in browser.text(f"#summary-{todo}"), f"the missing consent is not named: {browser.text(f'#summary-{todo}')!r}")
    check(browser.text(f"#summary-{stop}").startswith("Stop: contraindicated: Pregnancy"),
          f"the contraindication is not a stop: {browser.text(f'#summary-{stop}')!r}")
    browser.screenshot("today-desktop.png")

    browser.click_and_wait(f"#check-in-{ready}")
    browser.wait_for_path(r"/patients/[0-9a-f-]+/sessions/new")
    check(ready in browser.driver.current_url, "the new chart is not linked to the appointment checked in")
    check(browser.has("#photo-batch") and browser.has("#day-questions"), "checking in from the day does not open the new chart")
    browser.go("/")
    check("Checked in" in browser.text(f"#visit-{ready}"), "checking in from the day did not check the patient in")
    check(browser.has(f"#chart-{ready}"), "after check-in the chart is not one click away on the day")
    check(browser.text(f"#chart-{ready}") == "Start chart", f"the next step reads {browser.text(f'#chart-{ready}')!r}")
    ctx.log("checked a patient in from the day onto the new chart; the day keeps the chart one click away")

    # The clinic's details: asked for on the admin's day until set, then on every page's footer.
    desk = ctx.browser(DESKTOP, label="admin")
    desk.sign_in(admin_email, TEST_PASSWORD)
    if desk.has("#finish-set-up"):
        desk.go("/admin/clinic")
        desk.fill("#clinic-form", {"phone": "call us"})
        desk.click_and_wait("#clinic-save")
        check(desk.has("#phone-error") and desk.value("#clinic-form", "phone") == "call us", "a bad phone is not shown beside its field")
        desk.screenshot("clinic-settings-refused-desktop.png")
        desk.fill("#clinic-form", {"address": "12 Harbour Road\nPortsmouth PO1 2AB", "phone": "+44 23 9200 0000",
                                   "email": "desk@harbour.example"})
        desk.click_and_wait("#clinic-save")
        check(desk.has("#clinic-saved"), "the clinic's details were not saved")
        desk.screenshot("clinic-settings-desktop.png")
    check("+44 23 9200 0000" in desk.text("#clinic-contact"), "the footer does not show the clinic's phone")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    check(tablet.horizontal_overflow() <= 0, f"the day is {tablet.horizontal_overflow()}px too wide on a tablet")
    tablet.screenshot("today-tablet.png")
    admin_tablet = ctx.browser(TABLET, label="admin-tablet")
    admin_tablet.sign_in(admin_email, TEST_PASSWORD)
    admin_tablet.go("/admin/clinic")
    check(admin_tablet.horizontal_overflow() <= 0, "the clinic details page is too wide on a tablet")
    admin_tablet.screenshot("clinic-settings-tablet.png")

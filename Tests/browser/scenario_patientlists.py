"""Every list is paged (issue 16): a patient with 12 appointments, 12 photos and 12 scar assessments.
The patient page's cards show 10 of each (the Course card from the next appointment on, the others the newest) with a link to the whole list; each list page
shows them a page at a time and fits the laptop, the tablet and a phone without sideways scrolling.
"""

import datetime

from harness import DESKTOP, TABLET, Context, check
from api import Api, token, upload_photo

PHONE = (390, 844)
ASSESSMENT = {
    "blinded": False, "notes": "Synthetic",
    "zones": {"left-cheek": {"ice-pick": 12, "boxcar": 3, "sizeClass": "under-2mm"}, "forehead": {"rolling": 25, "depthClass": "shallow"}},
    "hypertrophicAreaCm2": 0,
    "gbQuantitative": {"A1": 8, "B2": 15, "C1": 25, "D1": 3},
    "ecca": {"vShapedUnder2mm": 12, "uShaped2to4mm": 3, "mShapedOver4mm": 25},
    "gbQualitative": {"contourChange": True, "obviousAt50cm": True, "coveredByMakeup": False, "flattensOnStretch": True},
}


def run(ctx: Context) -> None:
    base = ctx.server.base_url
    admin_email = f"lists-admin-{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    practitioner_token = token(base, ctx.email)
    admin, api = Api(base, token(base, admin_email)), Api(base, practitioner_token)
    _, me, _ = api.call("GET", "/api/v1/me")
    status, body, _ = admin.call("PUT", f"/api/v1/schedule/practitioners/{me['id']}/hours", {
        "hours": [{"weekday": d, "start": "06:00", "end": "21:00"} for d in range(1, 8)]})
    check(status == 204, f"hours: {status} {body}")
    status, room, _ = admin.call("POST", "/api/v1/schedule/rooms", {"name": f"Room {ctx.unique}"})
    check(status == 201, f"room: {status} {room}")
    status, patient, _ = api.call("POST", "/api/v1/patients", {
        "givenName": "Listia", "familyName": f"Records{ctx.unique}", "dateOfBirth": "1988-03-04", "sex": "female"})
    check(status == 201, f"registering: {status} {patient}")
    pid = patient["id"]
    today = datetime.date.today()
    for series in range(4):
        start = (today + datetime.timedelta(days=7 + series * 100)).isoformat()
        status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/appointment-series", {
            "modality": "microneedling", "count": 3, "intervalDays": 28, "minimumIntervalDays": 21, "start": f"{start}T10:00",
            "practitionerId": me["id"], "roomId": room["id"], "followUpMonths": []})
        check(status == 201, f"series {series}: {status} {body}")
    for i in range(12):
        day = (today - datetime.timedelta(days=120 - i * 7)).isoformat()
        check(upload_photo(base, practitioner_token, pid, day, f"week {i}") == 201, f"photo {i}")
        status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/assessments", dict(ASSESSMENT, assessedOn=day))
        check(status == 201, f"assessment {i}: {status} {body}")
    ctx.log("12 appointments, 12 photos and 12 assessments")

    for size, label in ((DESKTOP, "desktop"), (TABLET, "tablet"), (PHONE, "phone")):
        browser = ctx.browser(size, label=label)
        browser.sign_in()
        browser.go(f"/patients/{pid}")
        check("10 of 12 appointments, from the next one on" in browser.text("#more-appointments"), "the Course card says what it shows")
        for card, what in (("#more-photos", "photos"), ("#more-assessments", "assessments")):
            check(f"The latest 10 of 12 {what}" in browser.text(card), f"the patient page says how many {what} it shows")
        browser.screenshot(f"patientlists-{label}-patient-page.png")
        for what in ("appointments", "photos", "assessments"):
            browser.go(f"/patients/{pid}")
            browser.click_and_wait(f"#more-{what} a")
            browser.wait_for_path(rf"/patients/{pid}/{what}")
            check(browser.text("#record-list").count("\n") >= 12, f"the {what} page lists all twelve")
            check(browser.horizontal_overflow() <= 0, f"the {what} page scrolls sideways at {label}")
            browser.screenshot(f"patientlists-{label}-{what}.png")
        browser.close()
    ctx.log("patient page and the three list pages at 1366x900, 820x1180 and 390x844")

"""The session list a page at a time (issue 16): a patient with 12 session charts shows the newest
10 on the patient page with a link to all of them; the all-sessions page lists them newest first
(a page of 25) and fits the laptop, the tablet and a phone without sideways scrolling.
"""

import datetime

from harness import DESKTOP, TABLET, Context, check
from api import Api, token

PHONE = (390, 844)


def run(ctx: Context) -> None:
    admin_email = f"list-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    base = ctx.server.base_url
    admin, api = Api(base, token(base, admin_email)), Api(base, token(base, ctx.email))
    status, patient, _ = api.call("POST", "/api/v1/patients", {
        "givenName": "Listia", "familyName": f"Sessions{ctx.unique}", "dateOfBirth": "1988-03-04", "sex": "female"})
    check(status == 201, f"registering: {status} {patient}")
    pid = patient["id"]
    status, device, _ = admin.call("POST", "/api/v1/devices", {
        "model": "Pen One", "manufacturer": "Acme", "type": "motorized-pen", "maxDepthMm": 2.0, "needleGeometry": "36-pin round",
        "needleCount": 36, "serialNumber": f"SN-LIST-{ctx.unique}"})
    check(status == 201, f"device: {status} {device}")
    status, lot, _ = admin.call("POST", "/api/v1/lots", {"kind": "cartridge", "product": "36-pin cartridge", "lotNumber": f"LIST-{ctx.unique}",
                                                        "expiresOn": "2099-01-01", "quantity": 20, "receivedOn": "2025-01-02"})
    check(status == 201, f"lot: {status} {lot}")
    ids = []
    for weeks in range(12, 0, -1):
        performed = (datetime.date.today() - datetime.timedelta(weeks=weeks)).isoformat()
        status, draft, _ = api.call("POST", f"/api/v1/patients/{pid}/sessions", {"chart": {
            "performedOn": performed, "deviceId": device["id"], "cartridgeLotId": lot["id"],
            "zones": [{"zone": "left-cheek", "depthMm": 1.0, "passes": 2, "endpoint": "uniform-erythema"}], "durationMinutes": 30}})
        check(status == 201, f"draft: {status} {draft}")
        ids.append(draft["id"])
    ctx.log("12 session charts, one a week")

    for size, label in ((DESKTOP, "desktop"), (TABLET, "tablet"), (PHONE, "phone")):
        browser = ctx.browser(size, label=label)
        browser.sign_in()
        browser.go(f"/patients/{pid}")
        check("The newest 10 of 12 sessions" in browser.text("#sessions-card"), "the patient page says how many sessions it shows")
        browser.screenshot(f"sessionlist-{label}-patient-page.png")
        browser.click_and_wait("#more-sessions a")
        browser.wait_for_path(rf"/patients/{pid}/sessions")
        listed = browser.text("#session-list")
        check(all(listed.count(day) >= 1 for day in [(datetime.date.today() - datetime.timedelta(weeks=w)).isoformat() for w in (1, 12)]),
              "the all-sessions page lists the newest and the oldest")
        check(browser.horizontal_overflow() <= 0, f"the all-sessions page scrolls sideways at {label}")
        browser.screenshot(f"sessionlist-{label}-all-sessions.png")
        browser.close()
    ctx.log("patient page and all-sessions page at 1366x900, 820x1180 and 390x844")

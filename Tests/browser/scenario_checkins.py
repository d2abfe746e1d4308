"""Between visits (issue 14, part B): a patient checks in after a session on a phone (390 x 844)
with a photo of a reaction; the check-in goes beyond what is expected and flags at once on the
clinic's day home (1366 x 900), where a clinician confirms or dismisses it.

Through the API the practitioner charts and signs a session done three days ago for a synthetic
patient, and the desk invites the patient with a code shown at the desk. On the phone the patient
signs in, reads what is normal day by day, sends the day-3 check-in (redness within 72 hours is
expected; a rash is not) with a photo; the practitioner's day home lists it with the photo.
(Days 1 and 2 are the same form on other days; the use-case tests walk days 1 to 4 on both engines.)
"""

import datetime

from harness import DESKTOP, TABLET, Context, check
from api import Api, token
from steps import make_png

PHONE = (390, 844)


def signed_session_three_days_ago(api: Api, admin: Api, ctx: Context) -> tuple[str, str]:
    status, patient, _ = api.call("POST", "/api/v1/patients", {
        "givenName": "Synthia", "familyName": f"Checkin{ctx.unique}", "dateOfBirth": "1990-04-12", "sex": "female",
        "email": f"synthia.checkin.{ctx.unique.lower()}@example.com"})
    check(status == 201, f"registering: {status} {patient}")
    pid = patient["id"]
    status, device, _ = admin.call("POST", "/api/v1/devices", {
        "model": "Pen One", "manufacturer": "Acme", "type": "motorized-pen", "maxDepthMm": 2.0, "needleGeometry": "36-pin round",
        "needleCount": 36, "serialNumber": f"SN-CHK-{ctx.unique}"})
    check(status == 201, f"device: {status} {device}")
    status, lot, _ = admin.call("POST", "/api/v1/lots", {"kind": "cartridge", "product": "36-pin cartridge", "lotNumber": f"CHK-{ctx.unique}",
                                                        "expiresOn": "2099-01-01", "quantity": 20, "receivedOn": "2025-01-02"})
    check(status == 201, f"lot: {status} {lot}")
    _, settings, etag = admin.call("GET", "/api/v1/charting-settings")
    status, body, _ = admin.call("PUT", "/api/v1/charting-settings", {"beforePhotoCount": 0, "beforePhotoViews": []}, if_match=etag)
    check(status == 200, f"settings: {status} {body}")
    status, body, _ = admin.call("POST", "/api/v1/consent-templates", {
        "kind": "microneedling", "title": "Consent to microneedling", "body": "What the treatment is.\n\nRisks and alternatives."})
    check(status in (201, 409), f"consent template: {status} {body}")
    status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/intakes", {"fitzpatrick": 2})
    check(status == 201, f"intake: {status} {body}")
    _, templates, _ = api.call("GET", "/api/v1/protocol-templates")
    template = next(t for t in templates["items"] if t["modality"] == "microneedling" and t["isExample"])
    status, plan, etag = api.call("POST", f"/api/v1/patients/{pid}/plans", {"templateId": template["id"], "rationale": "Rolling scars."})
    check(status == 201, f"plan: {status} {plan}")
    status, body, _ = api.call("POST", f"/api/v1/plans/{plan['id']}/approve", if_match=etag)
    check(status == 200, f"approve: {status} {body}")
    status, body, _ = api.call("POST", f"/api/v1/patients/{pid}/consents", {"kind": "microneedling", "signerName": "Synthia Checkin", "agreed": True})
    check(status == 201, f"consent: {status} {body}")
    performed = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    status, draft, _ = api.call("POST", f"/api/v1/patients/{pid}/sessions", {"chart": {
        "performedOn": performed, "deviceId": device["id"], "cartridgeLotId": lot["id"],
        "zones": [{"zone": "left-cheek", "depthMm": 1.0, "passes": 2, "endpoint": "uniform-erythema"}], "durationMinutes": 30}})
    check(status == 201, f"draft: {status} {draft}")
    day = {"activeAcneInArea": False, "localInfectionInArea": False, "activeHerpesLabialis": False, "recentSunburn": False,
           "pregnantOrBreastfeeding": False, "newMedications": False}
    status, body, _ = api.call("POST", f"/api/v1/sessions/{draft['id']}/sign", {"dayAnswers": day}, if_match='"1"')
    check(status == 200, f"sign: {status} {body}")
    # The clinic is shared with the other scenarios: put its before-photo rule back.
    _, _, etag = admin.call("GET", "/api/v1/charting-settings")
    restored = {k: settings[k] for k in ("maxDepthMm", "beforePhotoCount", "beforePhotoViews", "erythemaHours", "edemaHours", "checkInDays")
                if settings.get(k) is not None}
    status, body, _ = admin.call("PUT", "/api/v1/charting-settings", restored, if_match=etag)
    check(status == 200, f"restoring the settings: {status} {body}")
    return pid, patient["email"]


def run(ctx: Context) -> None:
    admin_email = f"checkin-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    base = ctx.server.base_url
    admin = Api(base, token(base, admin_email))
    practitioner = Api(base, token(base, ctx.email))
    pid, email = signed_session_three_days_ago(practitioner, admin, ctx)
    status, invited, _ = practitioner.call("POST", f"/api/v1/patients/{pid}/portal-invitation", {"email": email, "channel": "desk"})
    check(status == 201, f"invitation: {status} {invited}")

    phone = ctx.browser(PHONE, label="phone")
    phone.go("/portal/signin/code")
    phone.fill("#portal-code-form", {"email": email, "code": invited["deskCode"]})
    phone.click_and_wait("#portal-code-submit")
    phone.wait_for_path(r"/portal$")
    phone.click_and_wait("#portal-nav-after")
    phone.wait_for_path(r"/portal/after-your-session")
    page = phone.text("main")
    check("day 3" in page and "What is normal, day by day" in page, "the patient sees day 3 and the timeline")
    check("[C" not in page and "Decision" not in page and "§" not in page, "no internal markers on the patient's screen")
    check(phone.horizontal_overflow() <= 1, "the page fits the phone")
    phone.screenshot("checkins-phone-timeline.png")
    for choice in ["#redness-mild", "#swelling-none", "#pain-mild", "#sign-rash", "#unexpected-no"]:
        phone.css(choice).click()
    photo = make_png(ctx.artifacts / "reaction.png", 64, 64, (220, 60, 60))
    phone.css("#photos").send_keys(str(photo))
    phone.screenshot("checkins-phone-form.png")
    phone.click_and_wait("#send-check-in")
    check(phone.has("#check-in-sent") and "clinician will look" in phone.text("#check-in-sent"), "a reaction beyond expected is said plainly")
    phone.screenshot("checkins-phone-sent.png")

    clinic = ctx.browser(DESKTOP, label="clinic")
    clinic.sign_in()
    check(clinic.has("#patient-reports"), "the day home lists what patients reported")
    reports = clinic.text("#patient-reports")
    check(f"Checkin{ctx.unique}" in reports and "day 3 check-in" in reports and "Rash or itching" not in reports, "the report names the patient and the day")
    check("A rash or itching is not an expected part of healing" in reports, f"the reason is shown: {reports!r}")
    check(len(clinic.all("#patient-reports img.reported-photo")) >= 1, "the reaction photo is on the day home")
    clinic.css("#patient-reports").location_once_scrolled_into_view
    clinic.screenshot("checkins-day-home.png")
    clinic.click_and_wait("#patient-reports a[id^=review-]")
    check(clinic.has("#patient-report") and clinic.has("#ae-form"), "Review opens the report beside the adverse-event form")
    clinic.screenshot("checkins-confirm-page.png")
    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    check(tablet.has("#patient-reports") and tablet.horizontal_overflow() <= 1, "the day home lists the report on a tablet without sideways scrolling")
    tablet.screenshot("checkins-day-home-tablet.png")
    tablet.go(f"/patients/{pid}")
    check(tablet.has("#check-ins") and "Beyond what is expected" in tablet.text("#check-ins"), "the patient page shows the check-in")
    tablet.css("#check-ins").location_once_scrolled_into_view
    tablet.screenshot("checkins-patient-page-tablet.png")

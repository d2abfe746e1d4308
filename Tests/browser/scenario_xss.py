"""Stored XSS: script payloads in every free-text field a member of staff can type, then
every page that shows them, in a real browser.

Fields (from the forms and the API bodies behind them): patient given/family name, MRN,
phone, email; acknowledgement reason (when the screening asks for one); assessment notes; plan rationale; session chart
notes and anaesthetic agent/concentration; amendment reason; adverse-event action taken,
products and notes; consent template title and body; consent typed signer name;
consent withdrawal reason; study title, protocol and arm names; staff display name;
schedule room and device names; charting device model, manufacturer, needle geometry,
serial number; lot product and lot number; intake allergy details; photo notes (multipart
upload); patient-reported outcome instrument, version and responses; protocol-template name,
post-care note and source texts; session amendment reason (the session is signed first).

Each value carries a payload that would set ``window.__xss``, add ``img[src=x]`` or open an
alert if it were ever rendered as markup. For each page the browser proves: no alert, no
``window.__xss``, no injected element, and the payload text is shown literally.
Fields whose validation refuses the payload are listed (refusing it is also safe).
"""

from __future__ import annotations

import datetime

from api import Api, token, upload_photo
from harness import DESKTOP, TEST_PASSWORD, Context, check

# Long form (markup + event handler + javascript: URL) and a short one for tight fields.
LONG = '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2;alert(2)">javascript:window.__xss=3'
SHORT = '"><img src=x onerror=alert(1)>'
MARK = "onerror="


def run(ctx: Context) -> None:
    u = ctx.unique.lower()
    admin_email = f"xss.admin.{u}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    api = Api(ctx.server.base_url, token(ctx.server.base_url, admin_email))
    today = datetime.date.today().isoformat()
    stored: list[str] = []
    refused: list[str] = []

    def create(what: str, method: str, path: str, build, fields: list[str], if_match: str | None = None, expect=(200, 201)):
        """Tries the long payload in `fields`, then the short one; returns the JSON reply."""
        for payload in (LONG, SHORT):
            status, body, etag = api.call(method, path, build(payload), if_match)
            if status in expect:
                stored.extend(f"{what}.{f}" for f in fields)
                return body
            if status != 422 and status != 400:
                check(False, f"{what}: {method} {path} answered {status}: {body}")
        refused.extend(f"{what}.{f}" for f in fields)
        status, body, _ = api.call(method, path, build("plain"), if_match)
        check(status in expect, f"{what}: even a plain value was refused: {status} {body}")
        return body

    # Patient: every free-text field of the record.
    patient = create("patient", "POST", "/api/v1/patients",
                     lambda p: {"givenName": p, "familyName": p, "dateOfBirth": "1990-01-02", "mrn": f"X{u}"[:20],
                                "phone": None, "email": None}, ["givenName", "familyName"])
    pid = patient["id"]
    status, _, _ = api.call("POST", f"/api/v1/patients/{pid}/intakes", {"fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed",
                                                                       "isotretinoin": {"status": "current"}})
    check(status == 201, f"intake: {status}")

    assessment = create("assessment", "POST", f"/api/v1/patients/{pid}/assessments", lambda p: {
        "assessedOn": today, "blinded": False, "notes": p,
        "zones": {"left-cheek": {"rolling": 10, "depthClass": "shallow"}},
        "gbQualitative": {"contourChange": True, "obviousAt50cm": True, "coveredByMakeup": False, "flattensOnStretch": True}},
        ["notes"])

    # Screening acknowledgement reason: the first intake records current isotretinoin, which
    # needs a clinician's acknowledgement (Decision 3).
    create("acknowledgement", "POST", f"/api/v1/patients/{pid}/screening/acknowledgements",
           lambda p: {"rule": "isotretinoin", "modality": "microneedling", "reason": p + " reviewed"}, ["reason"])

    # Plan rationale.
    status, templates, _ = api.call("GET", "/api/v1/protocol-templates")
    template = next(t for t in templates["items"] if t.get("modality") == "microneedling")
    plan = create("plan", "POST", f"/api/v1/patients/{pid}/plans",
                  lambda p: {"templateId": template["id"], "rationale": p}, ["rationale"])

    # Charting inventory: device and lots.
    device = create("device", "POST", "/api/v1/devices", lambda p: {
        "model": p, "manufacturer": p, "type": "motorized-pen", "maxDepthMm": 2.0, "needleGeometry": p,
        "needleCount": 36, "serialNumber": f"SN-{u}"}, ["model", "manufacturer", "needleGeometry"])
    lot = create("lot", "POST", "/api/v1/lots", lambda p: {
        "kind": "cartridge", "product": p, "lotNumber": p, "expiresOn": "2099-01-01", "quantity": 5, "receivedOn": today},
        ["product", "lotNumber"])
    serum = create("topical lot", "POST", "/api/v1/lots", lambda p: {
        "kind": "topical", "product": "Serum " + p, "lotNumber": "HA-" + u[:6], "expiresOn": "2099-01-01", "quantity": 5,
        "receivedOn": today}, ["product"])

    # Consent: template title/body, typed signer name, withdrawal reason.
    create("consent template", "POST", "/api/v1/consent-templates",
           lambda p: {"kind": "microneedling", "title": p, "body": p + "\n\nSecond paragraph " + p}, ["title", "body"])
    consent = create("consent", "POST", f"/api/v1/patients/{pid}/consents",
                     lambda p: {"kind": "microneedling", "signerName": p, "agreed": True}, ["signerName"])

    # Session chart notes and anaesthetic text.
    def chart(p):
        return {"chart": {
            "performedOn": today, "deviceId": device["id"], "cartridgeLotId": lot["id"],
            "anesthetic": {"agent": p, "concentration": "4%", "minutesApplied": 30, "removed": True},
            "zones": [{"zone": "left-cheek", "depthMm": 1.0, "passes": 2, "endpoint": "pinpoint-bleeding"}],
            "topicals": [{"lotId": serum["id"]}], "durationMinutes": 30,
            "reactions": {"erythema": True, "edema": False, "pinpointBleeding": True, "painScore": 2}, "notes": p}}
    session = create("session", "POST", f"/api/v1/patients/{pid}/sessions", chart, ["notes", "anesthetic.agent"])

    # Protocol template: name, post-care note and the source texts of its defaults.
    status, tlist, _ = api.call("GET", "/api/v1/protocol-templates")
    base = dict(next(t for t in tlist["items"] if t.get("modality") == "microneedling"))
    for key in ("id", "versionId", "version", "createdAt", "createdBy"):
        base.pop(key, None)
    sources = dict(base.get("sources") or {})

    def template_body(p):
        body = dict(base, name=p[:120], isExample=False, postCare=p)
        body["sources"] = {k: p + " " + str(v) for k, v in sources.items()} or None
        if body["sources"] is None:
            body.pop("sources")
        return body
    protocol = create("protocol template", "POST", "/api/v1/protocol-templates", template_body, ["name", "postCare", "sources"])

    # Session amendment reason: approve the plan, sign the session, then amend it.
    status, settings, settings_etag = api.call("GET", "/api/v1/charting-settings")
    status, _, _ = api.call("PUT", "/api/v1/charting-settings", {"beforePhotoCount": 0, "beforePhotoViews": []}, settings_etag)
    check(status == 200, f"charting settings: {status}")
    status, _, plan_etag = api.call("GET", f"/api/v1/plans/{plan['id']}")
    status, body, _ = api.call("POST", f"/api/v1/plans/{plan['id']}/approve", None, plan_etag)
    check(status == 200, f"approving the plan: {status} {body}")
    day = {"activeAcneInArea": False, "localInfectionInArea": False, "activeHerpesLabialis": False, "recentSunburn": False,
           "pregnantOrBreastfeeding": False, "newMedications": False}
    status, body, _ = api.call("POST", f"/api/v1/sessions/{session['id']}/sign", {"dayAnswers": day}, '"1"')
    check(status == 200, f"signing the session: {status} {body}")
    amended = chart("plain")["chart"]
    amended["notes"] = "Corrected note"
    create("amendment", "POST", f"/api/v1/sessions/{session['id']}/amendments",
           lambda p: {"reason": p + " corrected", "chart": amended}, ["reason"])

    # Adverse event free text.
    create("adverse event", "POST", f"/api/v1/patients/{pid}/adverse-events", lambda p: {
        "term": "granuloma", "onsetOn": today, "grade": 2, "serious": False, "relatedness": "possible",
        "actionTaken": p, "products": p, "notes": p}, ["actionTaken", "products", "notes"])

    # Patient-reported outcome: instrument id, version and raw responses are free text.
    create("reported outcome", "POST", f"/api/v1/patients/{pid}/reported-outcomes", lambda p: {
        "instrument": p[:60], "instrumentVersion": p[:20], "responses": {"q1": p}, "satisfaction": 7},
        ["instrument", "instrumentVersion", "responses"])

    # Photo notes, through the multipart upload a browser uses.
    for payload in (LONG, SHORT):
        status = upload_photo(ctx.server.base_url, api.token, pid, today, payload)
        if status == 201:
            stored.append("photo.notes")
            break
    else:
        refused.append("photo.notes")

    # Study design text.
    study = create("study", "POST", "/api/v1/studies", lambda p: {
        "title": p, "protocol": p, "armA": "A " + p, "armB": "B " + p, "outcomeScale": "gb-quantitative",
        "timePoints": ["baseline", "6 months"], "targetEnrolment": 2}, ["title", "protocol", "armA", "armB"])

    # Schedule resources.
    create("room", "POST", "/api/v1/schedule/rooms", lambda p: {"name": p}, ["name"])
    create("schedule device", "POST", "/api/v1/schedule/devices", lambda p: {"name": p, "modality": "microneedling"}, ["name"])

    # Intake allergy details last (a later intake becomes the current screening).
    create("intake", "POST", f"/api/v1/patients/{pid}/intakes", lambda p: {
        "fitzpatrick": 2, "fitzpatrickMethod": "clinician-assessed", "metalAllergy": True, "metalAllergyDetail": p,
        "anestheticAllergy": True, "anestheticAllergyDetail": p}, ["metalAllergyDetail", "anestheticAllergyDetail"])

    # Consent withdrawal reason last (the session above needed a valid consent).
    check(bool(consent and consent.get("id")), "the consent was stored")
    create("consent withdrawal", "POST", f"/api/v1/consents/{consent['id']}/withdrawal", lambda p: {"reason": p + " changed mind"},
           ["reason"])

    ctx.log(f"stored payloads in {len(stored)} fields: {', '.join(stored)}")
    if refused:
        ctx.log(f"refused by validation (also safe): {', '.join(refused)}")

    # A staff display name through the admin page (the form, as a person types it).
    browser = ctx.browser(DESKTOP, label="xss")
    browser.sign_in(admin_email, TEST_PASSWORD)
    browser.go("/admin/staff")
    browser.fill("#staff-form", {"email": f"xss.desk.{u}@test.example", "displayName": SHORT + "Desk", "role": "front-desk"})
    browser.click_and_wait("#staff-add")

    pages = [
        "/patients", f"/patients/{pid}", f"/patients/{pid}/edit", f"/patients/{pid}/progress",
        f"/assessments/{assessment['id']}", f"/plans/{plan['id']}", f"/sessions/{session['id']}",
        f"/sessions/{session['id']}/post-care", "/adverse-events", "/devices", "/consent-templates",
        "/studies", f"/studies/{study['id']}", "/admin/staff", "/audit", "/schedule/admin", f"/recall?serial=SN-{u}",
        f"/patients/{pid}/report", f"/patients/{pid}/intake/new", "/analytics", "/postcare-templates",
        "/protocol-templates",
    ]
    protocol_id = (protocol or {}).get("id") or ((protocol or {}).get("template") or {}).get("id")
    check(bool(protocol_id), f"the protocol template reply has no id: {protocol}")
    pages += [f"/protocol-templates/{protocol_id}", f"/consents/{consent['id']}"]
    # Pages that show no payload as visible text: aggregates and clinic sheets, or forms that
    # hold the values inside inputs (innerText leaves those out).
    no_visible_text = {"/analytics", "/postcare-templates", f"/patients/{pid}/intake/new", f"/patients/{pid}/edit", "/schedule/admin"}
    not_shown: list[str] = []
    shown_on = 0
    for path in pages:
        browser.go(path)
        where = path
        from selenium.common.exceptions import NoAlertPresentException
        try:
            alert = browser.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            check(False, f"an alert ({text!r}) opened on {where}")
        except NoAlertPresentException:
            pass
        check(browser.driver.execute_script("return window.__xss === undefined"), f"a script payload ran on {where}")
        check(browser.driver.execute_script("return document.body.dataset.pwned === undefined"), f"a payload ran on {where}")
        injected = browser.driver.execute_script(
            "return document.querySelectorAll(\"img[src='x'], [onerror], script:not([src])\").length")
        check(injected == 0, f"{injected} injected element(s) on {where}")
        status = browser.driver.execute_script("return document.title")
        check("Something went wrong" not in status, f"{where} failed to render")
        if MARK in browser.driver.execute_script("return document.body.innerText"):
            shown_on += 1
        elif path not in no_visible_text:
            not_shown.append(path)
    check(not not_shown, f"the payloads were not shown as literal text on {not_shown}")
    browser.go(f"/patients/{pid}")
    browser.screenshot("xss-patient-desktop.png")
    ctx.log(f"{len(pages)} pages inert; payload text shown literally on {shown_on}")

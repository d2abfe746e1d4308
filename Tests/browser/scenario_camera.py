"""Before-photos from the tablet's camera (issue 13, item 4): on the chart's before-photos step, "Use camera" steps
through the standard views in order; the patient's baseline photo of each view lies translucent over the live
picture for lining up; each capture is saved as that view through the one-photo upload. Chromium's fake camera
stands in for the tablet's. Without a camera, the multi-file upload stays the way to add them.
"""

import datetime

from api import Api, token, upload_photo
from harness import DESKTOP, TABLET, Context, check, wait_until
from steps import register_patient, synthetic_patient

FAKE_CAMERA = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream")
VIEWS = ["frontal", "oblique-left", "oblique-right", "lateral-left", "lateral-right"]


def run(ctx: Context) -> None:
    base = ctx.server.base_url
    bearer = token(base, ctx.email)
    tablet = ctx.browser(TABLET, label="tablet-camera", flags=FAKE_CAMERA)
    tablet.sign_in()
    patient_id = register_patient(tablet, synthetic_patient(ctx.unique))
    baseline_day = (datetime.date.today() - datetime.timedelta(days=42)).isoformat()
    check(upload_photo(base, bearer, patient_id, baseline_day, "baseline") == 201, "the baseline frontal photo is uploaded")

    tablet.go(f"/patients/{patient_id}/sessions/new")
    check(tablet.css("#camera-start").is_displayed(), "a tablet with a camera is offered \"Use camera\"")
    check(tablet.has("#photo-batch"), "the multi-file upload is still there")
    tablet.css("#camera-start").click()
    wait_until(lambda: tablet.css("#camera-capture").is_displayed(), 15, "the camera panel")
    wait_until(lambda: tablet.driver.execute_script("return document.getElementById('camera-video').videoWidth") > 0, 15, "the live picture")
    check("View 1 of 5: Frontal" in tablet.text("#camera-view"), "the first standard view is asked for first")
    wait_until(lambda: tablet.css("#camera-baseline").is_displayed(), 10, "the baseline overlay")
    opacity = float(tablet.driver.execute_script("return getComputedStyle(document.getElementById('camera-baseline')).opacity"))
    check(0 < opacity < 1, f"the baseline is translucent ({opacity})")
    tablet.css("#camera-capture").location_once_scrolled_into_view
    tablet.screenshot("camera-tablet-frontal-overlay.png", full_page=False)
    tablet.css("#camera-shoot").click()
    wait_until(lambda: "View 2 of 5" in tablet.text("#camera-view"), 15, "the next view after the capture")
    check(not tablet.css("#camera-baseline").is_displayed(), "a view without a baseline has no overlay")
    tablet.screenshot("camera-tablet-oblique-left.png", full_page=False)
    for n in range(3, 6):
        tablet.css("#camera-shoot").click()
        wait_until(lambda: f"View {n} of 5" in tablet.text("#camera-view"), 15, f"view {n}")
    tablet.css("#camera-shoot").click()
    def chart_again() -> bool:
        # The page reloads after the last view: asked in one script, and asked again if the reload swept it away.
        try:
            return tablet.driver.execute_script("const p = document.getElementById('camera-capture');"
                                                " return document.readyState === 'complete' && !!p && (p.hidden || p.offsetParent === null)")
        except Exception:
            return False
    wait_until(chart_again, 20, "the chart again after the last view")
    status, photos, _ = Api(base, bearer).call("GET", f"/api/v1/patients/{patient_id}/photos")
    today = datetime.date.today().isoformat()
    taken = sorted(p["view"] for p in photos["items"] if p["capturedOn"] != baseline_day)
    check(status == 200 and taken == sorted(VIEWS), f"each standard view was saved once, as that view ({taken})")
    check(all(p["mediaType"] == "image/jpeg" for p in photos["items"] if p["capturedOn"] != baseline_day), "captured frames are JPEGs")
    tablet.screenshot("camera-tablet-after.png", full_page=False)
    tablet.close()

    desktop = ctx.browser(DESKTOP, label="desktop")
    desktop.sign_in()
    desktop.go(f"/patients/{patient_id}/sessions/new")
    desktop.css("#before-photos").location_once_scrolled_into_view
    desktop.screenshot("camera-desktop-before-photos.png", full_page=False)
    desktop.close()
    ctx.log(f"camera capture on a tablet: 5 views in order, baseline overlay translucent on the frontal view, saved as JPEGs ({today})")

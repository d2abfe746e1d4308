"""The clinic's logo (issue 13, item 8): an administrator uploads it on the clinic details page (a file that
is not a PNG or JPEG is refused beside the field, whatever its name), sees it in the page header, on the
printed letterhead of the course report and on the first-run set-up page, and the patient sees it in the
portal's header on a phone. The shared clinic is left without a logo, as it was.
"""

from api import Api, token
from harness import DESKTOP, TABLET, Context, check
from steps import make_png, register_patient, synthetic_patient

PHONE = (390, 844)


def print_media(browser, on: bool) -> None:
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print" if on else ""})


def run(ctx: Context) -> None:
    admin_email = f"logo-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    disguised = ctx.artifacts / "not-a-logo.png"
    disguised.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    logo = make_png(ctx.artifacts / "clinic-logo.png", 240, 80, (23, 57, 75))

    for size, label in ((DESKTOP, "desktop"), (TABLET, "tablet")):
        admin = ctx.browser(size, label=label)
        admin.sign_in(admin_email, ctx.password)
        admin.go("/admin/clinic")
        check(admin.has("#no-logo"), "the clinic has no logo yet")
        admin.css("#logo").send_keys(str(disguised))
        admin.click_and_wait("#logo-upload")
        check("must be a PNG or JPEG image" in admin.text("#logo-error"), "an SVG named .png is refused beside the logo field")
        admin.screenshot(f"clinic-logo-{label}-refused.png")
        admin.css("#logo").send_keys(str(logo))
        admin.click_and_wait("#logo-upload")
        admin.wait_for_path(r"/admin/clinic")
        check(admin.has("#logo-preview") and admin.has("#logo-notice"), "the saved logo is shown on the settings page")
        check(admin.css("#header-logo").is_displayed(), "the page header shows the logo")
        check(admin.horizontal_overflow() <= 0, f"the clinic page scrolls sideways at {label}")
        admin.screenshot(f"clinic-logo-{label}-saved.png")
        admin.go("/admin/clinic/set-up")
        check(admin.has("#logo-preview"), "the set-up page shows the logo too")
        admin.screenshot(f"clinic-logo-{label}-set-up.png", full_page=False)
        if label == "desktop":
            patient = synthetic_patient(ctx.unique)
            patient_id = register_patient(admin, patient)
            admin.go(f"/patients/{patient_id}/report")
            check(admin.css("#report-logo").is_displayed(), "the course report shows the logo")
            admin.screenshot("clinic-logo-report-screen.png", full_page=False)
            print_media(admin, True)
            check(admin.css("#letterhead-logo").is_displayed(), "the printed letterhead carries the logo")
            check(not admin.css("#report-logo").is_displayed(), "printed, the letterhead carries it once")
            admin.screenshot("clinic-logo-report-print.png", full_page=False)
            print_media(admin, False)

            base = ctx.server.base_url
            desk = Api(base, token(base, ctx.email))
            email = patient["email"]
            status, invited, _ = desk.call("POST", f"/api/v1/patients/{patient_id}/portal-invitation", {"email": email, "channel": "desk"})
            check(status == 201, f"the desk invites the patient ({status})")
            phone = ctx.browser(PHONE, label="phone")
            phone.go("/portal/signin")
            phone.click_and_wait("#portal-have-code")
            phone.fill("#portal-code-form", {"email": email, "code": invited["deskCode"]})
            phone.click_and_wait("#portal-code-submit")
            phone.wait_for_path(r"/portal$")
            check(phone.css("#portal-logo").is_displayed(), "the portal's header shows the clinic's logo")
            check(phone.horizontal_overflow() <= 1, "the portal fits the phone")
            phone.screenshot("clinic-logo-portal-phone.png", full_page=False)
            phone.close()
        admin.go("/admin/clinic")
        admin.click_and_wait("#logo-remove")
        check(admin.has("#no-logo") and not admin.has("#header-logo"), "removed, the logo is gone from the pages")
        admin.close()
    ctx.log("logo refused (SVG named .png), saved, shown in header, set-up, report and its printed letterhead, portal on a phone; removed")

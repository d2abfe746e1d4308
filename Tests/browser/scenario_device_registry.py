"""One device registry (issue 13, item 13): an administrator registers a device once, under Devices, with its
label details; the schedule's set-up page lists it as bookable and chartable and the booking form offers it.
A name added on the schedule page only is marked "booking only" and points at Devices.
"""

from harness import DESKTOP, TABLET, Context, check
from steps import fail_on_form_error


def run(ctx: Context) -> None:
    admin_email = f"registry-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    model = f"Pulse RF {ctx.unique}"
    admin = ctx.browser(DESKTOP, label="desktop")
    admin.sign_in(admin_email, ctx.password)
    admin.go("/devices")
    check(admin.has("#device-registry-note"), "the devices page says one registration serves booking too")
    admin.open_details('#device-form')
    admin.fill("#device-form", {"model": model, "manufacturer": "Synthetic Devices Ltd", "type": "rf-microneedling", "maxDepthMm": "2.0",
                                "needleGeometry": "24-pin insulated", "needleCount": "24", "serialNumber": f"PRF-{ctx.unique}"})
    admin.click_and_wait("#device-save")
    fail_on_form_error(admin, "registering the device")
    admin.go("/schedule/admin#devices")
    names = [e.get_attribute("value") for e in admin.all("#device-list input[name=name]")]
    check(model in names, f"the registered device is listed for booking ({names})")
    row = [li for li in admin.all("#device-list li") if li.find_element("css selector", "input[name=name]").get_attribute("value") == model][0]
    check("bookable and chartable" in row.text, "it is marked bookable and chartable")
    admin.open_details('#device-form')
    admin.fill("#device-form", {"name": f"Loan roller {ctx.unique}", "modality": "microneedling"})
    admin.click_and_wait("#add-device")
    check(any("booking only" in li.text for li in admin.all("#device-list li")), "a name added for booking only says so")
    admin.css("#devices").location_once_scrolled_into_view
    admin.screenshot("device-registry-desktop.png")
    admin.close()

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in(admin_email, ctx.password)
    tablet.go("/schedule/admin#devices")
    check(tablet.horizontal_overflow() <= 0, "the schedule set-up fits the tablet")
    tablet.css("#devices").location_once_scrolled_into_view
    tablet.screenshot("device-registry-tablet.png", full_page=False)
    tablet.close()
    ctx.log("a device registered once under Devices is listed for booking as bookable and chartable; a booking-only name says so")

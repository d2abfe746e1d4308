"""Photos: upload a standardized photo through the page, see it on the patient page.

A practitioner registers a synthetic patient, opens "Add photo", uploads a real
PNG (made here with zlib) as a frontal view, then a close-up with a zone; the
patient page shows both thumbnails newest first, each image actually loads
(served only to signed-in staff), and the strip fits desktop and tablet widths.
A file that is not an image is refused with the message beside the field.
A real camera-style JPEG (made with Pillow: EXIF with artist, description, capture
time, GPS and a sideways orientation) is served back without any of it: Pillow
decodes the served bytes and finds only the orientation tag, and the browser shows it.
"""

import tempfile
import urllib.parse
import io
from pathlib import Path

from PIL import Image

from harness import DESKTOP, TABLET, Context, check
from steps import make_png, register_patient, synthetic_patient, upload


def run(ctx: Context) -> None:
    folder = Path(tempfile.mkdtemp(prefix="scartrack-photos-"))
    frontal = make_png(folder / "frontal.png", 640, 480, (200, 150, 130))
    closeup = make_png(folder / "cheek.png", 480, 640, (180, 120, 110))
    not_image = folder / "notes.jpg"
    not_image.write_text("this is text pretending to be a JPEG")

    browser = ctx.browser(DESKTOP, label="desktop")
    browser.sign_in()
    patient_id = register_patient(browser, synthetic_patient(ctx.unique))
    check(browser.has("#no-photos"), "a new patient's page does not say it has no photos")

    browser.click_and_wait("#add-photo")
    browser.wait_for_path(rf"/patients/{patient_id}/photos/new")
    check(not browser.css(".zone-field").is_displayed(), "the zone field shows for a frontal view")
    browser.fill("#photo-form", {"view": "close-up"})
    check(browser.css(".zone-field").is_displayed(), "the zone field is hidden for a close-up")
    browser.fill("#photo-form", {"view": "frontal"})

    # A text file named .jpg is refused by its content, with the message beside the field.
    browser.css("#photo").send_keys(str(not_image))
    browser.click_and_wait("#photo-save")
    check(browser.has("#photo-error"), f"a text file named .jpg was not refused (at {browser.path})")
    browser.screenshot("photo-form-refused.png")

    upload(browser, patient_id, frontal, {"view": "frontal", "capturedOn": "2026-01-10"})
    upload(browser, patient_id, closeup, {"view": "close-up", "zone": "left-cheek", "capturedOn": "2026-02-14",
                                          "notes": "Rolling scars, before session 2"})
    ctx.log("uploaded a frontal photo and a close-up through the page")

    thumbs = browser.all("#photos .photo-thumb img")
    alts = [t.get_attribute("alt") for t in thumbs]
    check(alts == ["Close-up, Left Cheek, 2026-02-14", "Frontal, 2026-01-10"], f"photo strip shows {alts}")
    for thumb in thumbs:
        loaded = browser.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", thumb)
        check(bool(loaded), f"thumbnail {thumb.get_attribute('src')} did not load")
    overflow = browser.horizontal_overflow()
    check(overflow <= 0, f"the patient page is {overflow}px wider than a desktop window")
    browser.screenshot("photos-strip-desktop.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    tablet.go(f"/patients/{patient_id}")
    check(len(tablet.all("#photos .photo-thumb img")) == 2, "the tablet does not show both thumbnails")
    check(tablet.horizontal_overflow() <= 0, "the patient page is wider than a tablet window")
    tablet.screenshot("photos-strip-tablet.png")
    tablet.go(f"/patients/{patient_id}/photos/new")
    check(tablet.horizontal_overflow() <= 0, "the upload form is wider than a tablet window")
    tablet.screenshot("photo-form-tablet.png")

    # Signed out, the image is not served: the request ends on the sign-in page.
    image_path = urllib.parse.urlsplit(thumbs[0].get_attribute("src")).path
    anonymous = ctx.http(signed_in=False).get(image_path)
    check(anonymous.path == "/signin", f"a signed-out client asking for {image_path} ended at {anonymous.path}")
    ctx.log("thumbnails load for staff; the image is refused when signed out")

    check_camera_metadata_is_stripped(ctx, browser, patient_id, folder)


def make_camera_jpeg(path: Path) -> Path:
    """A decodable JPEG with the EXIF a phone camera writes, including GPS and orientation 6."""
    image = Image.new("RGB", (320, 240), (190, 140, 120))
    exif = Image.Exif()
    exif[0x010E] = "Zed Fixture, left cheek"      # ImageDescription
    exif[0x013B] = "Dr Camera Artist"             # Artist
    exif[0x0132] = "2026:03:15 18:00:00"          # DateTime
    exif[0x0112] = 6                              # Orientation: rotate 90° clockwise to view
    exif.get_ifd(0x8769)[0x9003] = "2026:03:14 09:26:53"   # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    image.save(path, "JPEG", exif=exif.tobytes(), comment=b"comment Zed Fixture", quality=90)
    return path


def check_camera_metadata_is_stripped(ctx: Context, browser, patient_id: str, folder: Path) -> None:
    camera = make_camera_jpeg(folder / "IMG_2041.jpg")
    original = Image.open(camera)
    check(original.getexif().get(0x013B) == "Dr Camera Artist", "the fixture JPEG carries no EXIF artist")
    upload(browser, patient_id, camera, {"view": "lateral-left", "capturedOn": "2026-03-14"})
    image = browser.css('#photos .photo-thumb img[alt^="Lateral left"]')
    loaded = browser.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
    check(bool(loaded), "the stripped JPEG does not load in the browser")
    path = urllib.parse.urlsplit(image.get_attribute("src")).path
    status, served = ctx.http().get_bytes(path)
    check(status == 200, f"the image answered {status}")
    for secret in (b"Zed Fixture", b"Dr Camera Artist", b"2026:03:14", b"2026:03:15"):
        check(secret not in served, f"the served JPEG still contains {secret!r}")
    decoded = Image.open(io.BytesIO(served))
    decoded.load()
    check(decoded.size == (320, 240), f"the served JPEG decodes as {decoded.size}")
    exif = decoded.getexif()
    check(dict(exif) == {0x0112: 6}, f"the served JPEG keeps EXIF tags {dict(exif)} (only Orientation=6 expected)")
    check(not exif.get_ifd(0x8825), "GPS survived")
    ctx.log("a camera JPEG is served without EXIF, GPS or comment, upright, and still decodes")

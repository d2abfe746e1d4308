"""The JSON API as the browser scenarios use it to set up what a page then shows: a bearer
token for a test account, JSON calls, and a photo upload. One module, so no scenario imports another."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from harness import TEST_PASSWORD


class Api:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body=None, if_match: str | None = None):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if if_match:
            headers["If-Match"] = if_match
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as r:
                text = r.read().decode()
                return r.status, (json.loads(text) if text.strip().startswith(("{", "[")) else {}), r.headers.get("ETag")
        except urllib.error.HTTPError as e:
            text = e.read().decode(errors="replace")
            try:
                return e.code, json.loads(text), None
            except ValueError:
                return e.code, {"raw": text}, None


def upload_photo(base: str, bearer: str, patient: str, day: str, notes: str) -> int:
    """Uploads a tiny PNG with `notes` as multipart/form-data; returns the status."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([200, 150, 130]) * 16 for _ in range(16))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    boundary = "----scartrackxss"
    parts = []
    for name, value in (("view", "frontal"), ("capturedOn", day), ("notes", notes)):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                 + png + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(f"{base}/api/v1/patients/{patient}/photos", data=b"".join(parts), method="POST",
                                     headers={"Authorization": f"Bearer {bearer}",
                                              "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def token(base: str, email: str) -> str:
    request = urllib.request.Request(base + "/api/v1/auth/sessions", method="POST",
                                     data=json.dumps({"email": email, "password": TEST_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())["token"]

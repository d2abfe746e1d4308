import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// A multipart/form-data body as a browser builds it.
struct Multipart {
    var boundary = "----ScarTrackTest\(UUID().uuidString.prefix(8))"
    var fields: [(String, String)] = []
    var files: [(name: String, filename: String, type: String, bytes: [UInt8])] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    var body: [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for f in files {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\"; filename=\"\(f.filename)\"\r\nContent-Type: \(f.type)\r\n\r\n".utf8)
            out += f.bytes + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    static func photo(_ bytes: [UInt8], view: String = "frontal", zone: String? = nil, capturedOn: String = "2026-01-15",
                      filename: String = "face.png", type: String = "image/png", extra: [(String, String)] = []) -> Multipart {
        var m = Multipart()
        m.fields = [("view", view), ("capturedOn", capturedOn)] + (zone.map { [("zone", $0)] } ?? []) + extra
        m.files = [("photo", filename, type, bytes)]
        return m
    }
}

struct RawReply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let bytes: [UInt8]
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var problemFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
}

extension Harness {
    func send(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, headers: HTTPFields = [:], body: [UInt8]? = nil,
              contentType: String? = nil) async throws -> RawReply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        return RawReply(status: response.status, headers: response.headers, bytes: Array(response.body.readableBytesView))
    }

    func upload(_ form: Multipart, patient: String, token: String) async throws -> RawReply {
        try await send(.post, "/api/v1/patients/\(patient)/photos", token: token, body: form.body, contentType: form.contentType)
    }

    func newPatient(_ token: String) async throws -> String {
        try #require(try await registerPatient(token: token).json["id"] as? String)
    }
}

/// Runs with a fresh data folder of its own, removed afterwards.
func withPhotoHarness(maxPhotoBytes: Int? = nil, photoStore: PhotoStoreKind = .folder, _ body: @escaping @Sendable (Harness, URL) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-photos-\(UUID().uuidString.lowercased())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var configuration = Harness.configuration()
    configuration.dataDirectory = dir.path
    configuration.photoStore = photoStore
    if let maxPhotoBytes { configuration.maxPhotoBytes = maxPhotoBytes }
    try await Harness.run(configuration: configuration) { h in try await body(h, dir) }
}

/// Every regular file under `root`, relative to it.
func filesUnder(_ root: URL) -> [String] {
    guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var files: [String] = []
    for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
    }
    return files.sorted()
}

func isHashNamed(_ relative: String) -> Bool {
    let parts = relative.split(separator: "/").map(String.init)
    guard parts.count == 3, parts[0] == "photos", parts[1].count == 2 else { return false }
    let name = parts[2].split(separator: ".").map(String.init)
    guard name.count == 2, ["png", "jpg"].contains(name[1]), PhotoStore.isHash(name[0]) else { return false }
    return name[0].hasPrefix(parts[1])
}

@Suite("Photos over HTTP")
struct PhotoTests {
    @Test func apiUploadStoresTheExactBytesAtTheContentHashPathOnly() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let png = ImageFixtures.png(width: 3, height: 2)
            let hash = PhotoStore.sha256Hex(png)
            let r = try await h.upload(.photo(png, extra: [("notes", "before session 1")]), patient: patient, token: token)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"] as? String)
            #expect(r.headers[.location] == "/api/v1/photos/\(id)")
            #expect(r.json["sha256"] as? String == hash)
            #expect(r.json["mediaType"] as? String == "image/png")
            #expect(r.json["width"] as? Int == 3 && r.json["height"] as? Int == 2)
            #expect(r.json["byteSize"] as? Int == png.count)
            #expect(r.json["capturedOn"] as? String == "2026-01-15")
            #expect(r.json["notes"] as? String == "before session 1")
            #expect(r.json["imageURL"] as? String == "/photos/\(id)/image")

            #expect(filesUnder(dir) == ["photos/\(hash.prefix(2))/\(hash).png"])
            let onDisk = try Data(contentsOf: dir.appendingPathComponent("photos/\(hash.prefix(2))/\(hash).png"))
            #expect([UInt8](onDisk) == png)

            let list = try await h.send(.get, "/api/v1/patients/\(patient)/photos", token: token)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let meta = try await h.send(.get, "/api/v1/photos/\(id)", token: token)
            #expect(meta.status == .ok)
            #expect(meta.json["view"] as? String == "frontal")

            let image = try await h.send(.get, "/photos/\(id)/image", token: token)
            #expect(image.status == .ok)
            #expect(image.bytes == png)
            #expect(image.headers[.contentType] == "image/png")
            #expect(image.headers[.cacheControl] == "no-store")
            #expect(image.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(image.headers[.contentDisposition] == "inline")
        }
    }

    @Test func identicalUploadsAreStoredOnce() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.frontDesk)
            let patient = try await h.newPatient(token)
            let jpeg = ImageFixtures.jpeg(width: 40, height: 30)
            let a = try await h.upload(.photo(jpeg, filename: "a.jpg", type: "image/jpeg"), patient: patient, token: token)
            let b = try await h.upload(.photo(jpeg, view: "close-up", zone: "left-cheek", filename: "b.jpeg", type: "image/jpeg"),
                                       patient: patient, token: token)
            #expect(a.status == .created && b.status == .created)
            #expect(a.json["id"] as? String != b.json["id"] as? String)
            #expect(b.json["zone"] as? String == "left-cheek")
            #expect(a.json["mediaType"] as? String == "image/jpeg")
            let hash = PhotoStore.sha256Hex(jpeg)
            #expect(filesUnder(dir) == ["photos/\(hash.prefix(2))/\(hash).jpg"])
            #expect(try await PhotoRepository(h.db).count(clinicId: h.clinic.id) == 2)
        }
    }

    @Test func aTextFileNamedLikeAJPEGIsRefusedWith415() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            for bytes in [Array("not a photo at all".utf8), Array("<html><script>alert(1)</script></html>".utf8),
                          Array("GIF89a\u{01}\u{00}\u{01}\u{00}".utf8)] {
                let r = try await h.upload(.photo(bytes, filename: "x.jpg", type: "image/jpeg"), patient: patient, token: token)
                #expect(r.status == .unsupportedMediaType)
                #expect(r.headers[.contentType] == "application/problem+json")
                #expect(r.problemFields == ["photo"])
            }
            // Right signature, broken inside: refused too (422 naming the field).
            let broken = Array(ImageFixtures.png(width: 2, height: 2).dropLast(5))
            let r = try await h.upload(.photo(broken), patient: patient, token: token)
            #expect(r.status == .unprocessableContent)
            #expect(r.problemFields == ["photo"])
            #expect(filesUnder(dir).isEmpty)
            #expect(try await PhotoRepository(h.db).count(clinicId: h.clinic.id) == 0)
        }
    }

    @Test func oversizedPhotosAndBodiesGet413() async throws {
        try await withPhotoHarness(maxPhotoBytes: 1024) { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let big = ImageFixtures.png(width: 30, height: 30)  // about 2.8 KB
            #expect(big.count > 1024)
            let r = try await h.upload(.photo(big), patient: patient, token: token)
            #expect(r.status == .contentTooLarge)
            #expect(r.problemFields == ["photo"])
            let huge = ImageFixtures.png(width: 200, height: 200)  // larger than the limit plus the form allowance
            let r2 = try await h.upload(.photo(huge), patient: patient, token: token)
            #expect(r2.status == .contentTooLarge)
            #expect(r2.headers[.contentType] == "application/problem+json")
            #expect(filesUnder(dir).isEmpty)
            let small = try await h.upload(.photo(ImageFixtures.png(width: 2, height: 2)), patient: patient, token: token)
            #expect(small.status == .created)
        }
    }

    @Test func fileNamesNeverReachThePath() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let names = ["../../etc/passwd", "..%2F..%2Fescape.png", "/tmp/absolute.png", "..\\..\\win.png", "a\u{0}b.png", "photos/../../x.png"]
            for (i, name) in names.enumerated() {
                let png = ImageFixtures.png(width: i + 1, height: 1)
                let r = try await h.upload(.photo(png, filename: name), patient: patient, token: token)
                #expect(r.status == .created, "\(name): \(r.text)")
            }
            let files = filesUnder(dir)
            #expect(files.count == names.count)
            for file in files { #expect(isHashNamed(file), "\(file)") }
            #expect(!FileManager.default.fileExists(atPath: "/tmp/absolute.png"))
            #expect(!FileManager.default.fileExists(atPath: dir.deletingLastPathComponent().appendingPathComponent("escape.png").path))
        }
    }

    @Test func anotherClinicsStaffGet404AndResearchers403() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let id = try #require(try await h.upload(.photo(ImageFixtures.png()), patient: patient, token: token).json["id"] as? String)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.send(.get, "/api/v1/photos/\(id)", token: other).status == .notFound)
            #expect(try await h.send(.get, "/photos/\(id)/image", token: other).status == .notFound)
            #expect(try await h.send(.get, "/api/v1/patients/\(patient)/photos", token: other).status == .notFound)
            #expect(try await h.upload(.photo(ImageFixtures.png()), patient: patient, token: other).status == .notFound)

            let researcher = try await h.token(.researcher)
            #expect(try await h.send(.get, "/api/v1/photos/\(id)", token: researcher).status == .forbidden)
            #expect(try await h.send(.get, "/photos/\(id)/image", token: researcher).status == .forbidden)
            #expect(try await h.upload(.photo(ImageFixtures.png()), patient: patient, token: researcher).status == .forbidden)

            let anonymous = try await h.send(.get, "/photos/\(id)/image", headers: [.accept: "image/*"])
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.bytes.isEmpty)
            #expect(try await h.send(.get, "/api/v1/photos/\(id)").status == .unauthorized)
        }
    }

    @Test func everyViewOfTheImageIsAudited() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let id = try #require(try await h.upload(.photo(ImageFixtures.png()), patient: patient, token: token).json["id"] as? String)
            for _ in 0..<3 { #expect(try await h.send(.get, "/photos/\(id)/image", token: token).status == .ok) }
            let views = try await AuditRepository(h.db).entries(clinicId: h.clinic.id, action: "photo.view")
            #expect(views.count == 3)
            #expect(views.allSatisfy { $0.recordId?.lowercased() == id && $0.patientId?.uuidString.lowercased() == patient })
            #expect(views.allSatisfy { $0.actor == h.staff[.practitioner]!.email })
            let creates = try await AuditRepository(h.db).entries(clinicId: h.clinic.id, action: "photo.create")
            #expect(creates.count == 1)
            #expect(try await AuditRepository(h.db).verify().intact)
        }
    }

    @Test func aPhotoLinkedToAnotherPatientsAssessmentIsRefusedNamingTheLink() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let other = try await h.newPatient(token)
            let theirs = try #require(try await h.request(.post, "/api/v1/patients/\(other)/assessments", json: Harness.workedExampleAssessment,
                                                          token: token).json["id"] as? String)
            let refused = try await h.upload(.photo(ImageFixtures.png(), extra: [("assessmentId", theirs)]), patient: patient, token: token)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problemFields == ["assessmentId"])
            let ours = try await h.upload(.photo(ImageFixtures.png(), extra: [("assessmentId", theirs)]), patient: other, token: token)
            #expect(ours.status == .created, "the same link on the assessment's own patient is accepted")
            #expect(try await AuditRepository(h.db).entries(clinicId: h.clinic.id, action: "photo.create").count == 1)
        }
    }

    @Test func invalidDetailsAndUnknownFieldsAreNamed() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let r = try await h.upload(.photo(ImageFixtures.png(), view: "close-up", capturedOn: "2999-01-01",
                                              extra: [("assessmentId", "x"), ("shoeSize", "9")]), patient: patient, token: token)
            #expect(r.status == .unprocessableContent)
            #expect(Set(r.problemFields) == ["zone", "capturedOn", "assessmentId", "shoeSize"])
            #expect(filesUnder(dir).isEmpty)
            let noFile = Multipart(fields: [("view", "frontal"), ("capturedOn", "2026-01-15")])
            let missing = try await h.send(.post, "/api/v1/patients/\(patient)/photos", token: token, body: noFile.body, contentType: noFile.contentType)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.problemFields == ["photo"])
        }
    }

    @Test(arguments: [
        ("application/json", Array("{\"view\":\"frontal\"}".utf8), HTTPResponse.Status.unsupportedMediaType),
        ("multipart/form-data", Array("--x\r\n\r\n".utf8), .badRequest),
        ("multipart/form-data; boundary=", Array("--\r\n".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("no boundary anywhere".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abc\r\nContent-Disposition: form-data; name=\"view\"\r\n\r\nfrontal".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abc\r\nX-Long: \(String(repeating: "h", count: 20_000))\r\n\r\nv\r\n--abc--".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abc\r\nContent-Disposition: form-data\r\n\r\nv\r\n--abc--".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abc\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--abc--".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abcgarbage".utf8), .badRequest),
        ("multipart/form-data; boundary=abc", [0x2D, 0x2D, 0x61, 0x62, 0x63, 0x0D, 0x0A, 0xFF, 0xFE, 0x0D, 0x0A, 0x0D, 0x0A], .badRequest),
        ("multipart/form-data; boundary=abc", Array("--abc--\r\n".utf8), .unprocessableContent),
    ] as [(String, [UInt8], HTTPResponse.Status)])
    func malformedMultipartBodiesAre4xxNever500(type: String, body: [UInt8], expected: HTTPResponse.Status) async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let r = try await h.send(.post, "/api/v1/patients/\(patient)/photos", token: token, body: body, contentType: type)
            #expect(r.status == expected, "\(r.text)")
            #expect(r.headers[.contentType] == "application/problem+json")
            #expect(filesUnder(dir).isEmpty)
        }
    }

    // MARK: Pages

    func postPage(_ h: Harness, _ s: PageSession, _ path: String, _ form: Multipart) async throws -> RawReply {
        try await h.send(.post, path, headers: [.cookie: s.cookieHeader, .accept: "text/html"], body: form.body, contentType: form.contentType)
    }

    @Test func pageUploadWithCSRFShowsThePhotoOnThePatientPage() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let s = try await PageSession.signIn(h, role: .practitioner)
            let formPage = try await s.get(h, "/patients/\(patient)/photos/new")
            #expect(formPage.status == .ok)
            #expect(formPage.body.contains("enctype=\"multipart/form-data\""))
            #expect(formPage.body.contains("accept=\"image/jpeg,image/png\""))
            #expect(formPage.body.contains("capture=\"environment\""))
            let csrf = try #require(PageSession.hiddenValue("csrf", in: formPage.body))
            #expect(formPage.body.contains("value=\"\(CalendarDate.utc(Date()).description)\""))

            var form = Multipart.photo(ImageFixtures.png(width: 8, height: 6), view: "oblique-left", capturedOn: "2026-02-01")
            form.fields.append(("csrf", csrf))
            let posted = try await postPage(h, s, "/patients/\(patient)/photos", form)
            #expect(posted.status == .seeOther, "\(posted.text)")
            #expect(posted.headers[.location] == "/patients/\(patient)#photos")
            #expect(filesUnder(dir).count == 1)

            let page = try await s.get(h, "/patients/\(patient)")
            let photoId = try #require(try await PhotoRepository(h.db).list(patientId: UUID(uuidString: patient)!, clinicId: h.clinic.id,
                                                                           by: .commandLine()).first?.id.uuidString.lowercased())
            #expect(page.body.contains("<img src=\"/photos/\(photoId)/image\" alt=\"Oblique left, 2026-02-01\""))
            #expect(page.body.contains("id=\"photos\""))
            // The page session (cookie) can load the image, as the <img> does.
            let image = try await h.send(.get, "/photos/\(photoId)/image", headers: [.cookie: s.cookieHeader])
            #expect(image.status == .ok && image.headers[.contentType] == "image/png")
        }
    }

    @Test func pageUploadWithoutOrWithAWrongCSRFTokenIsRefused() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let s = try await PageSession.signIn(h, role: .practitioner)
            var form = Multipart.photo(ImageFixtures.png())
            #expect(try await postPage(h, s, "/patients/\(patient)/photos", form).status == .forbidden)
            form.fields.append(("csrf", String(s.csrf.reversed())))
            #expect(try await postPage(h, s, "/patients/\(patient)/photos", form).status == .forbidden)
            #expect(filesUnder(dir).isEmpty)
        }
    }

    @Test func pageErrorsReShowTheFormWithMessages() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let s = try await PageSession.signIn(h, role: .practitioner)
            var form = Multipart.photo(Array("hello".utf8), view: "close-up", filename: "x.jpg", type: "image/jpeg",
                                       extra: [("notes", "keep <me>")])
            form.fields.append(("csrf", s.csrf))
            let r = try await postPage(h, s, "/patients/\(patient)/photos", form)
            #expect(r.status == .unsupportedMediaType)
            #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(r.text.contains("Image must be a JPEG or PNG image"))
            #expect(r.text.contains("Zone is required for a close-up"))
            #expect(r.text.contains("keep &lt;me&gt;"))
            #expect(r.text.contains("<option value=\"close-up\" selected>"))
            #expect(filesUnder(dir).isEmpty)
        }
    }

    @Test func patientPageWithoutPhotosSaysSo() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let s = try await PageSession.signIn(h, role: .frontDesk)
            let page = try await s.get(h, "/patients/\(patient)")
            #expect(page.body.contains("id=\"no-photos\""))
            #expect(page.body.contains("href=\"/patients/\(patient)/photos/new\""))
        }
    }
}

@Suite("Multipart parser")
struct MultipartParserTests {
    @Test func readsFieldsAndFilesWithQuotedParameters() throws {
        let body = Array((
            "preamble to ignore\r\n--b1\r\nContent-Disposition: form-data; name=\"view\"\r\n\r\nfrontal\r\n"
            + "--b1\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"we\\\"ird; name.png\"\r\nContent-Type: image/png\r\n\r\n"
            + "line1\r\nline2 --b1 not a boundary\r\n--b1--\r\nepilogue").utf8)
        let form = try MultipartForm.parse(body, boundary: "b1")
        #expect(form["view"] == "frontal")
        let file = try #require(form.file("photo"))
        #expect(file.filename == "we\"ird; name.png")
        #expect(file.contentType == "image/png")
        #expect(file.body == Array("line1\r\nline2 --b1 not a boundary".utf8))
    }

    @Test func boundaryComesFromTheContentType() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=----WebKitFormBoundaryAbC") == "----WebKitFormBoundaryAbC")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\"") == "a b:c")
        #expect(throws: MultipartError.missingBoundary) { try MultipartForm.boundary(contentType: "multipart/form-data") }
        #expect(throws: MultipartError.notMultipart) { try MultipartForm.boundary(contentType: "multipart/mixed; boundary=x") }
        #expect(throws: MultipartError.notMultipart) { try MultipartForm.boundary(contentType: nil) }
        #expect(throws: MultipartError.self) { try MultipartForm.boundary(contentType: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))") }
    }

    @Test func boundsArePartsHeadersAndTextFields() {
        var limits = MultipartForm.Limits()
        limits.maxParts = 2
        limits.maxFieldBytes = 10
        let three = Array((0..<3).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nv\r\n" }.joined().utf8) + Array("--b--".utf8)
        #expect(throws: MultipartError.self) { try MultipartForm.parse(three, boundary: "b", limits: limits) }
        let long = Array("--b\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n\(String(repeating: "n", count: 11))\r\n--b--".utf8)
        #expect(throws: MultipartError.fieldTooLarge("notes")) { try MultipartForm.parse(long, boundary: "b", limits: limits) }
    }

    @Test func randomTruncationsNeverCrash() {
        var m = Multipart.photo(ImageFixtures.png(width: 3, height: 3))
        m.boundary = "zz"
        let full = m.body
        for length in 0..<full.count {
            _ = try? MultipartForm.parse(Array(full.prefix(length)), boundary: "zz")
        }
        #expect((try? MultipartForm.parse(full, boundary: "zz")) != nil)
    }
}

import Foundation
import ScarCore
import ScarImageFixtures
@testable import ScarServer
import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Issue 11, item 1: no photo leaves the server with the names, capture times or GPS positions
/// its camera wrote into it — not to staff, and not to blinded raters.
@Suite("Photo metadata")
struct PhotoMetadataStripTests {
    static func assertClean(_ bytes: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in MetadataImages.secrets {
            #expect(!MetadataImages.contains(bytes, secret), "\(what) still carries \(secret)", sourceLocation: sourceLocation)
        }
    }

    @Test func uploadsAreStoredHashedAndServedWithoutMetadataKeepingOrientationAndCaptureTime() async throws {
        try await withPhotoHarness { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            for (original, type, name) in [(MetadataImages.jpeg(orientation: 6), "image/jpeg", "jpg"), (MetadataImages.png(orientation: 8), "image/png", "png")] {
                let r = try await h.upload(.photo(original, filename: "IMG_0001.\(name)", type: type), patient: patient, token: token)
                #expect(r.status == .created, "\(r.text)")
                let id = try #require(r.json["id"] as? String)
                let hash = try #require(r.json["sha256"] as? String)
                #expect(hash != PhotoStore.sha256Hex(original), "the stored bytes are not the uploaded ones")
                #expect(r.json["cameraCapturedAt"] as? String == "2026-03-14T09:26:53")
                let onDisk = [UInt8](try Data(contentsOf: dir.appendingPathComponent("photos/\(hash.prefix(2))/\(hash).\(name)")))
                #expect(PhotoStore.sha256Hex(onDisk) == hash)
                #expect(r.json["byteSize"] as? Int == onDisk.count)
                Self.assertClean(onDisk, "the stored file")
                let image = try await h.send(.get, "/photos/\(id)/image", token: token)
                #expect(image.status == .ok)
                #expect(image.bytes == onDisk)
                Self.assertClean(image.bytes, "the served image")
                // Upright: the orientation survives as the one EXIF tag left.
                #expect(try PhotoMetadata.strip(image.bytes).orientation == (name == "jpg" ? 6 : 8))
                let meta = try await h.send(.get, "/api/v1/photos/\(id)", token: token)
                #expect(meta.json["cameraCapturedAt"] as? String == "2026-03-14T09:26:53")
            }
        }
    }

    @Test func blindedRatersGetStrippedBytes() async throws {
        try await withPhotoHarness { h, _ in
            let token = try await h.token(.practitioner)
            let admin = try await h.token(.admin)
            _ = try await h.request(.post, "/api/v1/consent-templates", json: [
                "kind": "photo-use", "title": "Use of clinical photographs", "body": "Photos may be used for research grading."], token: admin)
            let study = try #require(try await h.request(.post, "/api/v1/studies", json: StudyTests.design, token: token).json["id"] as? String)
            let pid = try await StudyTests.consentedPatient(h, token: token)
            let consent = try await h.request(.post, "/api/v1/patients/\(pid)/consents",
                                              json: ["kind": "photo-use", "signerName": "Rita Rolling", "agreed": true], token: token)
            #expect(consent.status == .created)
            let upload = try await h.upload(Multipart.photo(MetadataImages.jpeg(), view: "oblique-left", capturedOn: CalendarDate.utc(Date()).description,
                                                            filename: "side.jpg", type: "image/jpeg"), patient: pid, token: token)
            let photo = try #require(upload.json["id"] as? String)
            #expect(try await h.request(.post, "/api/v1/studies/\(study)/participants", json: ["patientId": pid], token: token).status == .created)
            let rater = try await PageSession.signIn(h, role: .blindedRater)
            let image = try await rater.get(h, "/studies/\(study)/rating-photos/\(photo)")
            #expect(image.status == .ok)
            Self.assertClean(Array(image.body.utf8), "the rater's image")
            #expect(!image.body.contains("2026:03:14"), "no capture date reaches the rater")
        }
    }
}

/// `scartrack photos strip-metadata` through the built executable on a real SQLite data folder
/// holding files stored the old way (byte for byte, metadata included).
@Suite("photos strip-metadata")
struct PhotoStripCommandTests {
    @Test func rewritesOldFilesOnceKeepsRecordsAuditAndBackupsConsistent() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await AuditVerifyCommandTests.withDataFolder { dir, db in
            let old = try await OldStylePhotos(dir, db)
            let files = old.files
            let jpeg = MetadataImages.jpeg(orientation: 6), png = MetadataImages.png(orientation: 1), clean = ImageFixtures.png(width: 2, height: 2)
            var ids: [UUID] = []
            for (bytes, type, view) in [(jpeg, ImageMediaType.jpeg, "frontal"), (jpeg, .jpeg, "oblique-left"), (png, .png, "frontal"),
                                        (clean, .png, "lateral-left")] {
                ids.append(try await old.add(bytes, type: type, view: view))
            }
            let first = try AuditVerifyCommandTests.run(["photos", "strip-metadata"], dataDirectory: dir)
            #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
            #expect(first.stdout.contains("Checked 3 photo files"), "\(first.stdout)")
            #expect(first.stdout.contains("2 rewritten without metadata (3 photo records updated), 1 already clean, 0 missing or damaged"),
                    "\(first.stdout)")
            #expect(first.stderr.contains("Photos: 3/3 (100%)"), "progress is shown: \(first.stderr)")

            // Every record points at a stripped file whose hash is its name; the old files are gone.
            let root = URL(fileURLWithPath: dir)
            let stored = filesUnder(root).filter { $0.hasPrefix("photos/") }
            #expect(stored.count == 3)
            let expectedCapture: [String?] = ["2026-03-14T09:26:53", "2026-03-14T09:26:53", "2026-03-14T09:26:53", nil]
            for (id, expected) in zip(ids, expectedCapture) {
                let row = try await db.read { sql in
                    try await sql.raw("SELECT sha256, media_type, byte_size, camera_captured_at FROM photos WHERE id = \(bind: id)").first()!
                }
                let hash = try row.decode(column: "sha256", as: String.self)
                let type = ImageMediaType(rawValue: try row.decode(column: "media_type", as: String.self))!
                let bytes = try files.read(sha256: hash, type: type)
                #expect(PhotoStore.sha256Hex(bytes) == hash)
                #expect(try row.decode(column: "byte_size", as: Int.self) == bytes.count)
                PhotoMetadataStripTests.assertClean(bytes, "photo \(id)")
                #expect(try row.decode(column: "camera_captured_at", as: String?.self) == expected)
            }
            #expect(!stored.contains { $0.contains(PhotoStore.sha256Hex(jpeg)) || $0.contains(PhotoStore.sha256Hex(png)) })
            let audited = try await db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'photo.strip-metadata'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 3)
            #expect(try AuditVerifyCommandTests.run(["audit", "verify"], dataDirectory: dir).status == 0)

            // Twice is safe: nothing left to do, nothing changes.
            let second = try AuditVerifyCommandTests.run(["photos", "strip-metadata"], dataDirectory: dir)
            #expect(second.status == 0)
            #expect(second.stdout.contains("0 rewritten without metadata (0 photo records updated), 3 already clean"), "\(second.stdout)")
            #expect(filesUnder(root).filter { $0.hasPrefix("photos/") } == stored)

            // A backup taken now lists exactly the stripped files and verifies.
            let backup = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-strip-backup-\(UUID().uuidString.lowercased())")
            defer { try? FileManager.default.removeItem(at: backup) }
            let taken = try AuditVerifyCommandTests.run(["backup", "--to", backup.path], dataDirectory: dir)
            #expect(taken.status == 0, "\(taken.stdout) \(taken.stderr)")
            let manifest = try String(contentsOf: backup.appendingPathComponent("manifest.json"), encoding: .utf8)
            for path in stored { #expect(manifest.contains(path)) }
        }
    }

    @Test func aDamagedFileIsReportedAndLeftAlone() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path), "build scartrack first")
        try await AuditVerifyCommandTests.withDataFolder { dir, db in
            let old = try await OldStylePhotos(dir, db)
            let jpeg = MetadataImages.jpeg()
            _ = try await old.add(jpeg, type: .jpeg)
            let stored = PhotoStore.sha256Hex(jpeg)
            let path = try old.files.url(sha256: stored, type: .jpeg).path
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            try Data(jpeg.dropLast(3) + [0, 0, 0]).write(to: URL(fileURLWithPath: path))
            let run = try AuditVerifyCommandTests.run(["photos", "strip-metadata"], dataDirectory: dir)
            #expect(run.status == 1)
            #expect(run.stdout.contains("1 missing or damaged"), "\(run.stdout)")
            #expect(run.stdout.contains("not changed: \(stored)"))
            #expect(FileManager.default.fileExists(atPath: path), "the damaged file stays for the clinic to restore")
        }
    }
}

/// Photos stored the way uploads were stored before stripping: the bytes exactly as they came.
struct OldStylePhotos {
    let db: ScarDatabase
    let files: PhotoStore
    let clinic: Clinic
    let staff: StaffUser
    let patient: Patient

    init(_ dataDirectory: String, _ db: ScarDatabase) async throws {
        self.db = db
        files = PhotoStore(dataDirectory: dataDirectory)
        clinic = try await StaffRepository(db).clinics().first!
        staff = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
        patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: .commandLine(clinicId: clinic.id))
    }

    func add(_ bytes: [UInt8], type: ImageMediaType, view: String = "frontal") async throws -> UUID {
        let stored = try files.save(bytes, type: type)
        let info = try ImageSniffer.inspect(bytes)
        let details = try PhotoDetails.validate(.init(view: view, capturedOn: "2026-03-14"), today: CalendarDate("2026-11-21")!).get()
        // Recorded as uploads were before they were stripped: straight to the store, bytes as given.
        return try await db.write(unitOfWork: { [patient, clinic, staff] tx in
            try await tx.insertPhoto(details, file: .init(sha256: stored.sha256, mediaType: type, byteSize: bytes.count, width: info.width,
                                                          height: info.height),
                                     patientId: patient.id, clinicId: clinic.id, uploadedBy: staff.id, by: .commandLine(clinicId: clinic.id),
                                     now: Date())
        }).id
    }
}

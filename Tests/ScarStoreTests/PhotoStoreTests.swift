import Foundation
import ScarCore
import ScarStore
import ScarTestSupport
import Testing

/// Every regular file under `root`, relative to it.
func filesUnder(_ root: URL) -> [String] {
    guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var files: [String] = []
    for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        files.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
    }
    return files.sorted()
}

func temporaryDataDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-photos-\(UUID().uuidString.lowercased())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Photo files")
struct PhotoStoreTests {
    @Test func storesUnderTheContentHashOnceWithPrivatePermissions() throws {
        let dir = try temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = PhotoStore(dataDirectory: dir.path)
        let bytes = ImageFixtures.png(width: 2, height: 2)
        let hash = PhotoStore.sha256Hex(bytes)
        let first = try store.save(bytes, type: .png)
        let again = try store.save(bytes, type: .png)
        #expect(first.sha256 == hash && first.byteSize == bytes.count && first.created)
        #expect(again.created == false)
        #expect(filesUnder(dir) == ["photos/\(hash.prefix(2))/\(hash).png"])
        #expect(try store.read(sha256: hash, type: .png) == bytes)

        let fm = FileManager.default
        let file = dir.appendingPathComponent("photos/\(hash.prefix(2))/\(hash).png").path
        #expect((try fm.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        for folder in ["photos", "photos/\(hash.prefix(2))"] {
            let mode = try fm.attributesOfItem(atPath: dir.appendingPathComponent(folder).path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o700, "\(folder)")
        }
    }

    @Test func onlyHashesBecomePaths() throws {
        let store = PhotoStore(dataDirectory: "/tmp/unused")
        for bad in ["../../etc/passwd", String(repeating: "A", count: 64), String(repeating: "a", count: 63), "..%2F" + String(repeating: "a", count: 59)] {
            #expect(throws: StoreError.self) { try store.url(sha256: bad, type: .jpeg) }
        }
        let ok = String(repeating: "ab", count: 32)
        #expect(try store.url(sha256: ok, type: .jpeg).path == "/tmp/unused/photos/ab/\(ok).jpg")
    }
}

@Suite("Photos in the store")
struct PhotoRepositoryTests {
    @Test func addListAndFindAreScopedToTheClinicAndAudited() async throws {
        try await TestDatabase.with { db in
            let clinic = try await Fixtures.clinic(db)
            let other = try await Fixtures.clinic(db, name: "Other")
            let user = try await Fixtures.staff(db, clinic: clinic, role: .practitioner)
            let actor = AuditActor(user: user, clientAddress: "127.0.0.1")
            let patient = try await PatientRepository(db).register(Fixtures.details(), clinicId: clinic.id, by: actor)
            let repo = PhotoRepository(db)
            let file = PhotoRepository.File(sha256: String(repeating: "c", count: 64), mediaType: .jpeg, byteSize: 10, width: 4, height: 3)
            let older = try PhotoDetails.validate(.init(view: "frontal", capturedOn: "2026-01-02"), today: CalendarDate("2026-03-01")!).get()
            let newer = try PhotoDetails.validate(.init(view: "close-up", zone: "chin", capturedOn: "2026-02-02", assessmentId: UUID().uuidString),
                                                  today: CalendarDate("2026-03-01")!).get()
            // As `AddPhotos` records them: the patient checked, then the row and its entry, in one transaction.
            func add(_ details: PhotoDetails, clinicId: UUID) async throws -> Photo {
                try await db.write(unitOfWork: { tx in
                    try await tx.requirePatient(patient.id, clinicId: clinicId)
                    return try await tx.insertPhoto(details, file: file, patientId: patient.id, clinicId: clinicId, uploadedBy: user.id,
                                                    by: actor, now: Date())
                })
            }
            let a = try await add(older, clinicId: clinic.id)
            let b = try await add(newer, clinicId: clinic.id)
            // Timestamps come back through the engines' own date encodings: equal to the millisecond.
            func same(_ x: Photo, _ y: Photo) -> Bool {
                var copy = x
                copy.uploadedAt = y.uploadedAt
                return copy == y && abs(x.uploadedAt.timeIntervalSince(y.uploadedAt)) < 0.001
            }
            let listed = try await repo.list(patientId: patient.id, clinicId: clinic.id, by: actor)
            #expect(listed.count == 2 && same(listed[0], b) && same(listed[1], a))
            #expect(same(try await repo.find(id: b.id, clinicId: clinic.id, by: actor, action: "photo.view"), b))

            await #expect(throws: StoreError.notFound) { try await repo.find(id: b.id, clinicId: other.id, by: actor) }
            await #expect(throws: StoreError.notFound) { try await repo.list(patientId: patient.id, clinicId: other.id, by: actor) }
            await #expect(throws: StoreError.notFound) {
                try await add(older, clinicId: other.id)
            }
            let actions = try await AuditRepository(db).entries(patientId: patient.id).map(\.action)
            #expect(actions.prefix(4) == ["photo.view", "photo.list", "photo.create", "photo.create"])
            #expect(try await AuditRepository(db).verify().intact)
        }
    }
}

import Foundation
import ScarCore
import SQLKit

/// Photo records of one clinic. Every call is scoped by the caller's clinic (another clinic's
/// photo is simply not found) and appends its audit entry in the same transaction: uploads
/// (`photo.create`), lists (`photo.list`), metadata reads (`photo.read`) and every look at the
/// image itself (`photo.view`).
public struct PhotoRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = """
        id, clinic_id, patient_id, sha256, media_type, byte_size, width, height, view, zone, captured_on, assessment_id,
        uploaded_by, uploaded_at, notes, camera_captured_at
        """

    /// Column by column (an export decodes every photo of a page; the Codable row decoder with its
    /// snake-case key conversion cost more than the rest of the photo's Media); a value that does
    /// not parse goes through that decoder, which names what is wrong.
    static func decode(_ row: any SQLRow) throws -> Photo {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        let zone = try row.decode(column: "zone", as: String?.self)
        guard let mediaType = ImageMediaType(rawValue: try text("media_type")), let view = PhotoView(rawValue: try text("view")),
              let capturedOn = CalendarDate(try text("captured_on")), zone == nil || FaceZone(rawValue: zone!) != nil else {
            return try row.decode(model: Photo.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        return Photo(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                     patientId: try row.decode(column: "patient_id", as: UUID.self), sha256: try text("sha256"), mediaType: mediaType,
                     byteSize: try row.decode(column: "byte_size", as: Int.self), width: try row.decode(column: "width", as: Int.self),
                     height: try row.decode(column: "height", as: Int.self), view: view, zone: zone.flatMap(FaceZone.init(rawValue:)),
                     capturedOn: capturedOn, assessmentId: try row.decode(column: "assessment_id", as: UUID?.self),
                     uploadedBy: try row.decode(column: "uploaded_by", as: UUID.self), uploadedAt: try row.decode(column: "uploaded_at", as: Date.self),
                     notes: try row.decode(column: "notes", as: String?.self), cameraCapturedAt: try row.decode(column: "camera_captured_at", as: String?.self))
    }

    /// What the file store says about the bytes (hash, size) and the sniffer about the image.
    public struct File: Sendable, Equatable {
        public var sha256: String
        public var mediaType: ImageMediaType
        public var byteSize: Int
        public var width: Int
        public var height: Int
        /// The capture time read from the metadata the stored bytes no longer carry.
        public var cameraCapturedAt: String?

        public init(sha256: String, mediaType: ImageMediaType, byteSize: Int, width: Int, height: Int, cameraCapturedAt: String? = nil) {
            self.sha256 = sha256
            self.mediaType = mediaType
            self.byteSize = byteSize
            self.width = width
            self.height = height
            self.cameraCapturedAt = cameraCapturedAt
        }
    }

    /// Inserts one photo record of a patient the caller already checked, with its `photo.create` entry
    /// (each photo is its own record, so its history is found by its id).
    static func insert(_ details: PhotoDetails, file: File, patientId: UUID, clinicId: UUID, uploadedBy: UUID, by actor: AuditActor,
                       engine: Engine, on sql: any SQLDatabase, now: Date) async throws -> Photo {
        // Whole milliseconds, so what is returned equals what is read back on both engines.
        let at = now.wholeMilliseconds
        let photo = Photo(id: UUID(), clinicId: clinicId, patientId: patientId, sha256: file.sha256, mediaType: file.mediaType,
                          byteSize: file.byteSize, width: file.width, height: file.height, view: details.view, zone: details.zone,
                          capturedOn: details.capturedOn, assessmentId: details.assessmentId, uploadedBy: uploadedBy, uploadedAt: at,
                          notes: details.notes, cameraCapturedAt: file.cameraCapturedAt)
        try await sql.raw("""
            INSERT INTO photos (id, clinic_id, patient_id, sha256, media_type, byte_size, width, height, view, zone, captured_on,
                                assessment_id, uploaded_by, uploaded_at, notes, camera_captured_at)
            VALUES (\(bind: photo.id), \(bind: clinicId), \(bind: patientId), \(bind: photo.sha256), \(bind: photo.mediaType.rawValue),
                    \(bind: photo.byteSize), \(bind: photo.width), \(bind: photo.height), \(bind: photo.view.rawValue),
                    \(bind: photo.zone?.rawValue), \(bind: photo.capturedOn.description), \(bind: photo.assessmentId),
                    \(bind: uploadedBy), \(bind: at), \(bind: photo.notes), \(bind: photo.cameraCapturedAt))
            """).run()
        try await AuditTrail.append(AuditEvent(action: "photo.create", recordType: "photo", recordId: photo.id.uuidString, patientId: patientId,
                                               details: ["view": photo.view.rawValue, "sha256": photo.sha256]),
                                    by: actor, engine: engine, on: sql, now: now)
        return photo
    }

    /// Whether `assessmentId` is one of this patient's assessments in the clinic.
    static func isPatientsAssessment(_ assessmentId: UUID, patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS found FROM scar_assessments
            WHERE id = \(bind: assessmentId) AND patient_id = \(bind: patientId) AND clinic_id = \(bind: clinicId)
            """).first() != nil
    }

    /// The patient's photos, newest capture first. Not found when the patient is not the clinic's.
    public func list(patientId: UUID, clinicId: UUID, by actor: AuditActor) async throws -> [Photo] {
        let engine = db.engine
        return try await db.write { sql in
            try await PatientScope.require(patientId, clinicId: clinicId, on: sql)
            let photos = try await Self.photos(patientId: patientId, clinicId: clinicId, on: sql)
            try await AuditTrail.append(AuditEvent(action: "photo.list", recordType: "photo", patientId: patientId,
                                                   details: ["shown": photos.map { $0.id.lower }.joined(separator: ",")]),
                                        by: actor, engine: engine, on: sql)
            return photos
        }
    }

    /// The patient's photos, newest first; not audited here.
    static func photos(patientId: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Photo] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM photos WHERE clinic_id = \(bind: clinicId) AND patient_id = \(bind: patientId)
            ORDER BY captured_on DESC, uploaded_at DESC, id
            """).all().map(Self.decode)
    }

    /// One photo's record, audited as `action` (`photo.read` for metadata, `photo.view` when
    /// the image is shown). Not found when it belongs to another clinic.
    public func find(id: UUID, clinicId: UUID, by actor: AuditActor, action: String = "photo.read") async throws -> Photo {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM photos WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)").first()
            else { throw StoreError.notFound }
            let photo = try Self.decode(row)
            try await AuditTrail.append(AuditEvent(action: action, recordType: "photo", recordId: id.uuidString, patientId: photo.patientId),
                                        by: actor, engine: engine, on: sql)
            return photo
        }
    }


    /// The views photographed on a day (the checklist's before-photos item); not audited.
    static func views(patientId: UUID, clinicId: UUID, capturedOn day: CalendarDate, on sql: any SQLDatabase) async throws -> [PhotoView] {
        try await views(patientIds: [patientId], clinicId: clinicId, capturedOn: day, on: sql)[patientId] ?? []
    }

    /// The standard views each patient's photos of `day` show, in upload order.
    static func views(patientIds: [UUID], clinicId: UUID, capturedOn day: CalendarDate,
                      on sql: any SQLDatabase) async throws -> [UUID: [PhotoView]] {
        guard !patientIds.isEmpty else { return [:] }
        var out: [UUID: [PhotoView]] = [:]
        for row in try await sql.raw("""
            SELECT patient_id, view FROM photos
            WHERE clinic_id = \(bind: clinicId) AND patient_id IN (\(binds: patientIds)) AND captured_on = \(bind: day.description)
            ORDER BY uploaded_at, id
            """).all() {
            guard let view = PhotoView(rawValue: try row.decode(column: "view", as: String.self)) else { continue }
            out[try row.decode(column: "patient_id", as: UUID.self), default: []].append(view)
        }
        return out
    }

    public func count(clinicId: UUID) async throws -> Int {
        try await db.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM photos WHERE clinic_id = \(bind: clinicId)").first()!.decode(column: "n", as: Int.self)
        }
    }

    // MARK: Stripping metadata from files stored before uploads were stripped

    /// One stored file and the photo records that point at it (identical content is stored once).
    public struct StoredFile: Sendable, Equatable {
        public var sha256: String
        public var mediaType: ImageMediaType
        public var photos: [UUID]
    }

    /// Every stored file, by hash, across all clinics (an installation-level maintenance job).
    public func storedFiles() async throws -> [StoredFile] {
        try await db.read { sql in
            let rows = try await sql.raw("SELECT id, sha256, media_type FROM photos ORDER BY sha256, media_type, id").all()
            var files: [StoredFile] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let hash = try row.decode(column: "sha256", as: String.self)
                guard let type = ImageMediaType(rawValue: try row.decode(column: "media_type", as: String.self)) else { continue }
                if let last = files.last, last.sha256 == hash, last.mediaType == type {
                    files[files.count - 1].photos.append(id)
                } else {
                    files.append(StoredFile(sha256: hash, mediaType: type, photos: [id]))
                }
            }
            return files
        }
    }

    /// Points every record of `old` at the stripped file `new` (already stored), keeps a capture
    /// time already recorded, and audits each record as `photo.strip-metadata` in the same
    /// transaction. Returns how many records changed (0 when another run got there first).
    public func replaceFile(_ old: StoredFile, with new: File, removed: [String], now: Date = Date()) async throws -> Int {
        let engine = db.engine
        return try await db.write { sql in
            let rows = try await sql.raw("""
                SELECT id, clinic_id, patient_id FROM photos WHERE sha256 = \(bind: old.sha256) AND media_type = \(bind: old.mediaType.rawValue)
                ORDER BY id
                """).all()
            try await sql.raw("""
                UPDATE photos SET sha256 = \(bind: new.sha256), byte_size = \(bind: new.byteSize), width = \(bind: new.width),
                                  height = \(bind: new.height), camera_captured_at = COALESCE(camera_captured_at, \(bind: new.cameraCapturedAt))
                WHERE sha256 = \(bind: old.sha256) AND media_type = \(bind: old.mediaType.rawValue)
                """).run()
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let clinicId = try row.decode(column: "clinic_id", as: UUID.self)
                let patientId = try row.decode(column: "patient_id", as: UUID.self)
                try await AuditTrail.append(AuditEvent(action: "photo.strip-metadata", recordType: "photo", recordId: id.uuidString,
                                                       patientId: patientId,
                                                       details: ["from": old.sha256, "to": new.sha256, "removed": removed.joined(separator: ", ")]),
                                            by: .commandLine(clinicId: clinicId), engine: engine, on: sql, now: now)
            }
            return rows.count
        }
    }

    /// True while some record still points at the file (then it must stay on disk).
    public func isReferenced(sha256: String, mediaType: ImageMediaType) async throws -> Bool {
        try await db.read { sql in
            try await sql.raw("""
                SELECT (SELECT COUNT(*) FROM photos WHERE sha256 = \(bind: sha256) AND media_type = \(bind: mediaType.rawValue))
                     + (SELECT COUNT(*) FROM reported_photos WHERE sha256 = \(bind: sha256) AND media_type = \(bind: mediaType.rawValue)) AS n
                """).first()!.decode(column: "n", as: Int.self) > 0
        }
    }
}

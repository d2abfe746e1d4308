import Foundation
import ScarCore
import SQLKit

/// A clinic's protocol templates. A template has a stable id and numbered versions; an edit
/// adds a version and never changes an old one, so plans keep the version they used. The
/// example templates are seeded once per clinic, the first time the clinic's templates are
/// read, as ordinary rows the clinic then owns and edits.
public struct ProtocolTemplateRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    /// A template's current version with every version, newest first.
    public struct TemplateHistory: Sendable {
        public var current: ProtocolTemplateVersion
        public var versions: [ProtocolTemplateVersion]
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static let columns = "v.id, v.template_id, v.version, v.created_at, v.created_by_label, v.definition"

    static func decode(_ row: any SQLRow) throws -> ProtocolTemplateVersion {
        let json = try row.decode(column: "definition", as: String.self)
        return ProtocolTemplateVersion(
            id: try row.decode(column: "id", as: UUID.self), templateId: try row.decode(column: "template_id", as: UUID.self),
            version: try row.decode(column: "version", as: Int.self), createdAt: try row.decode(column: "created_at", as: Date.self),
            createdBy: try row.decode(column: "created_by_label", as: String.self),
            definition: try JSONDecoder().decode(ProtocolTemplateDefinition.self, from: Data(json.utf8)))
    }

    /// Adds the example templates to a clinic that never had them. Runs inside the caller's
    /// transaction; the seed marker makes it happen once even with two servers starting.
    static func ensureExamples(clinicId: UUID, by actor: AuditActor, engine: Engine, on sql: any SQLDatabase, now: Date = Date()) async throws {
        let inserted = try await sql.raw("""
            INSERT INTO protocol_template_seeds (clinic_id, seeded_at) VALUES (\(bind: clinicId), \(bind: now))
            ON CONFLICT (clinic_id) DO NOTHING RETURNING clinic_id
            """).first()
        guard inserted != nil else { return }
        for definition in ExampleTemplates.all {
            let version = try await insertTemplate(definition, clinicId: clinicId, by: actor, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "protocol-template.seed", recordType: "protocol_template",
                                                   recordId: version.templateId.uuidString, details: ["version": "1"]),
                                        by: actor, engine: engine, on: sql, now: now)
        }
    }

    static func insertTemplate(_ definition: ProtocolTemplateDefinition, clinicId: UUID, by actor: AuditActor, on sql: any SQLDatabase,
                               now: Date) async throws -> ProtocolTemplateVersion {
        let templateId = UUID()
        try await sql.raw("""
            INSERT INTO protocol_templates (id, clinic_id, current_version, created_at)
            VALUES (\(bind: templateId), \(bind: clinicId), \(bind: 1), \(bind: now))
            """).run()
        return try await insertVersion(definition, templateId: templateId, version: 1, clinicId: clinicId, by: actor, on: sql, now: now)
    }

    static func insertVersion(_ d: ProtocolTemplateDefinition, templateId: UUID, version: Int, clinicId: UUID, by actor: AuditActor,
                              on sql: any SQLDatabase, now: Date) async throws -> ProtocolTemplateVersion {
        let id = UUID()
        let json = String(decoding: try encoder.encode(d), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO protocol_template_versions (id, template_id, clinic_id, version, name, modality, is_example, definition,
                                                    created_at, created_by, created_by_label)
            VALUES (\(bind: id), \(bind: templateId), \(bind: clinicId), \(bind: version), \(bind: d.name), \(bind: d.modality.rawValue),
                    \(bind: d.isExample), \(bind: json), \(bind: now), \(bind: actor.userId), \(bind: actor.label))
            """).run()
        return ProtocolTemplateVersion(id: id, templateId: templateId, version: version, createdAt: now, createdBy: actor.label, definition: d)
    }

    /// The current version of each of the clinic's templates, by name. Seeds the examples the
    /// first time.
    public func list(clinicId: UUID, by actor: AuditActor) async throws -> [ProtocolTemplateVersion] {
        let engine = db.engine
        return try await db.write { sql in
            try await Self.ensureExamples(clinicId: clinicId, by: actor, engine: engine, on: sql)
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM protocol_templates t
                JOIN protocol_template_versions v ON v.template_id = t.id AND v.version = t.current_version
                WHERE t.clinic_id = \(bind: clinicId) ORDER BY v.name, v.id
                """).all().map(Self.decode)
        }
    }

    /// A template with its history. Not found when it belongs to another clinic.
    public func find(id: UUID, clinicId: UUID) async throws -> TemplateHistory {
        try await db.read { sql in try await Self.history(id: id, clinicId: clinicId, on: sql) }
    }

    static func history(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> TemplateHistory {
        let versions = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM protocol_template_versions v
            WHERE v.template_id = \(bind: id) AND v.clinic_id = \(bind: clinicId) ORDER BY v.version DESC
            """).all().map(decode)
        guard let current = versions.first else { throw StoreError.notFound }
        return TemplateHistory(current: current, versions: versions)
    }

    /// One stored version by its own id (what a plan references).
    static func version(id: UUID, clinicId: UUID, on sql: any SQLDatabase) async throws -> ProtocolTemplateVersion {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM protocol_template_versions v WHERE v.id = \(bind: id) AND v.clinic_id = \(bind: clinicId)
            """).first() else { throw StoreError.notFound }
        return try decode(row)
    }

    public func create(_ definition: ProtocolTemplateDefinition, clinicId: UUID, by actor: AuditActor, now: Date = Date()) async throws -> ProtocolTemplateVersion {
        let engine = db.engine
        return try await db.write { sql in
            try await Self.ensureExamples(clinicId: clinicId, by: actor, engine: engine, on: sql, now: now)
            let version = try await Self.insertTemplate(definition, clinicId: clinicId, by: actor, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "protocol-template.create", recordType: "protocol_template",
                                                   recordId: version.templateId.uuidString, details: ["version": "1"]),
                                        by: actor, engine: engine, on: sql, now: now)
            return version
        }
    }

    /// Saves a changed template as a new version, only if `expectedVersion` is still the
    /// current one (otherwise `versionConflict`, nothing written).
    public func update(id: UUID, clinicId: UUID, expectedVersion: Int, definition: ProtocolTemplateDefinition, by actor: AuditActor,
                       now: Date = Date()) async throws -> ProtocolTemplateVersion {
        let engine = db.engine
        return try await db.write { sql in
            guard let row = try await sql.raw("""
                SELECT current_version FROM protocol_templates WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId)
                """).first() else { throw StoreError.notFound }
            let current = try row.decode(column: "current_version", as: Int.self)
            guard current == expectedVersion else { throw StoreError.versionConflict(current: current) }
            let next = current + 1
            let moved = try await sql.raw("""
                UPDATE protocol_templates SET current_version = \(bind: next)
                WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND current_version = \(bind: current) RETURNING id
                """).first()
            guard moved != nil else { throw StoreError.versionConflict(current: next) }
            let version = try await Self.insertVersion(definition, templateId: id, version: next, clinicId: clinicId, by: actor, on: sql, now: now)
            try await AuditTrail.append(AuditEvent(action: "protocol-template.version", recordType: "protocol_template",
                                                   recordId: id.uuidString, details: ["version": String(next)]),
                                        by: actor, engine: engine, on: sql, now: now)
            return version
        }
    }
}

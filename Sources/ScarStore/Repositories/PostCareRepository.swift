import Foundation
import ScarCore
import SQLKit

/// The clinic's post-care sheets. Version 1 of each modality is the shipped sheet
/// (`PostCareTemplate.builtIn`, domain reference §9, with its sources); an admin's edit adds
/// version 2, 3, … in `postcare_templates` (rows never change, triggers refuse it). A session
/// records the version id it gave (`postcare-microneedling@2`), and the printable sheet is
/// rendered from that version, whatever the current one is.
public struct PostCareRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    public struct Version: Sendable, Equatable {
        public var template: PostCareTemplate
        public var createdAt: Date?
        public var createdBy: String?
        public var shipped: Bool { createdAt == nil }
    }

    static func decode(_ row: any SQLRow) throws -> Version {
        let modality = Modality(rawValue: try row.decode(column: "modality", as: String.self)) ?? .microneedling
        let sections = try JSONDecoder().decode([PostCareTemplate.Section].self, from: Data(try row.decode(column: "sections", as: String.self).utf8))
        return Version(template: PostCareTemplate(id: PostCareTemplate.templateId(for: modality),
                                                  version: String(try row.decode(column: "version", as: Int.self)), modality: modality,
                                                  title: try row.decode(column: "title", as: String.self), sections: sections),
                       createdAt: try row.decode(column: "created_at", as: Date.self),
                       createdBy: try row.decode(column: "display_name", as: String?.self))
    }

    static let select = """
        SELECT t.modality, t.version, t.title, t.sections, t.created_at, u.display_name
        FROM postcare_templates t LEFT JOIN staff_users u ON u.id = t.created_by
        """

    /// Every version of one modality's sheet, newest first (the shipped version 1 last).
    public func versions(modality: Modality, clinicId: UUID) async throws -> [Version] {
        try await db.read { sql in try await Self.versions(modality: modality, clinicId: clinicId, on: sql) }
    }

    static func versions(modality: Modality, clinicId: UUID, on sql: any SQLDatabase) async throws -> [Version] {
        let rows = try await sql.raw("""
            \(unsafeRaw: select) WHERE t.clinic_id = \(bind: clinicId) AND t.modality = \(bind: modality.rawValue) ORDER BY t.version DESC
            """).all().map(decode)
        return rows + [Version(template: PostCareTemplate.current(for: modality), createdAt: nil, createdBy: nil)]
    }

    /// The sheet given with a session signed now.
    public func current(for modality: Modality, clinicId: UUID) async throws -> PostCareTemplate {
        try await versions(modality: modality, clinicId: clinicId).first!.template
    }

    static func current(for modality: Modality, clinicId: UUID, on sql: any SQLDatabase) async throws -> PostCareTemplate {
        try await versions(modality: modality, clinicId: clinicId, on: sql).first!.template
    }

    /// The version a session recorded (`postcare-<modality>@<n>`), in this clinic.
    public func find(versionId: String, clinicId: UUID) async throws -> PostCareTemplate? {
        try await db.read { sql in try await Self.find(versionId: versionId, clinicId: clinicId, on: sql) }
    }

    static func find(versionId: String, clinicId: UUID, on sql: any SQLDatabase) async throws -> PostCareTemplate? {
        if let shipped = PostCareTemplate.find(versionId: versionId) { return shipped }
        let parts = versionId.split(separator: "@").map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("postcare-"), let modality = Modality(rawValue: String(parts[0].dropFirst("postcare-".count))),
              let number = Int(parts[1]) else { return nil }
        return try await sql.raw("""
            \(unsafeRaw: Self.select) WHERE t.clinic_id = \(bind: clinicId) AND t.modality = \(bind: modality.rawValue) AND t.version = \(bind: number)
            """).first().map { try Self.decode($0).template }
    }

    /// Adds the next version if the current one is still `baseVersion` (else a version conflict).
    public func add(_ template: PostCareTemplate, baseVersion: Int, clinicId: UUID, authorId: UUID?, by actor: AuditActor,
                    now: Date = Date()) async throws -> PostCareTemplate {
        let engine = db.engine
        let sections = String(decoding: try JSONEncoder().encode(template.sections), as: UTF8.self)
        return try await db.write { sql in
            let current = Int(try await Self.versions(modality: template.modality, clinicId: clinicId, on: sql).first!.template.version) ?? 1
            guard current == baseVersion else { throw StoreError.versionConflict(current: current) }
            var saved = template
            saved.version = String(current + 1)
            try await sql.raw("""
                INSERT INTO postcare_templates (id, clinic_id, modality, version, title, sections, created_at, created_by)
                VALUES (\(bind: UUID()), \(bind: clinicId), \(bind: template.modality.rawValue), \(bind: current + 1), \(bind: template.title),
                        \(bind: sections), \(bind: now), \(bind: authorId))
                """).run()
            try await AuditTrail.append(AuditEvent(action: "postcare.version", recordType: "postcare_template", recordId: saved.versionId,
                                                   details: ["modality": template.modality.rawValue, "version": saved.version]),
                                        by: actor, engine: engine, on: sql, now: now)
            return saved
        }
    }

    /// The sheet a session gave (its recorded version), or the current one for a session not yet signed.
    public func recorded(_ session: SessionRecord) async throws -> PostCareTemplate {
        if let id = session.postcareVersion, let t = try await find(versionId: id, clinicId: session.clinicId) { return t }
        return try await current(for: session.chart.modality, clinicId: session.clinicId)
    }
}

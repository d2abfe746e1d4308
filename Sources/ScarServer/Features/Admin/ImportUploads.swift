import Foundation
import ScarClinic
import ScarCore

/// Files uploaded on `/admin/import`, kept under `<data dir>/imports/` between the dry run and the
/// import (by a random id, with what was chosen beside them), and the last error report of each.
/// Only the clinic that uploaded a file can use it; the CSV itself is removed once imported.
struct ImportUploads: Sendable {
    struct Choice: Codable, Sendable {
        var clinicId: UUID
        var kind: ImportKind
        var preset: String
        var dateFormat: ImportDateFormat
        var fileName: String

        var mapping: ImportMapping? {
            guard var m = ImportMapping.preset(preset, kind: kind) else { return nil }
            m.dateFormat = dateFormat
            return m
        }
    }

    let folder: URL

    init(dataDirectory: String) {
        folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("imports")
    }

    func file(_ id: UUID) -> URL { folder.appendingPathComponent("\(id.lower).csv") }
    func errors(_ id: UUID) -> URL { folder.appendingPathComponent("\(id.lower).errors.csv") }
    private func choiceFile(_ id: UUID) -> URL { folder.appendingPathComponent("\(id.lower).json") }

    func save(_ bytes: [UInt8], choice: Choice) throws -> UUID {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let id = UUID()
        try Data(bytes).write(to: file(id), options: .atomic)
        try JSONEncoder().encode(choice).write(to: choiceFile(id), options: .atomic)
        return id
    }

    /// What was chosen for this upload, if it belongs to the clinic.
    func choice(_ id: UUID, clinicId: UUID) -> Choice? {
        guard let data = try? Data(contentsOf: choiceFile(id)), let c = try? JSONDecoder().decode(Choice.self, from: data),
              c.clinicId == clinicId else { return nil }
        return c
    }

    func hasFile(_ id: UUID) -> Bool { FileManager.default.fileExists(atPath: file(id).path) }

    func keep(report summary: ImportSummary, for id: UUID) throws {
        try summary.errorReport.write(to: errors(id), atomically: true, encoding: .utf8)
    }

    func removeFile(_ id: UUID) { try? FileManager.default.removeItem(at: file(id)) }

    /// A CSV body sent to the import API, kept only while it is imported (the caller deletes it).
    func temporary(_ data: Data) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("api-\(UUID().lower).csv")
        try data.write(to: url, options: .atomic)
        return url
    }
}

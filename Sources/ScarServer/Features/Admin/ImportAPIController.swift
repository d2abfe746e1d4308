import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore

/// `POST /api/v1/imports/{patients|appointments}`: the CSV import for integrators, the same use
/// cases (`ImportPatients`, `ImportAppointments`) as `scartrack import` and `/admin/import`. The
/// body is the CSV file (`text/csv`, up to 25 MiB); the query names the preset mapping, the date
/// format, whether it is a dry run (nothing written) and whether likely duplicates are imported as
/// new patients. The answer is the summary with every problem by row, field and reason, and the
/// likely duplicates held for review. Administrators only.
struct ImportAPIController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        for kind in ImportKind.allCases {
            routes.api(.post, "/api/v1/imports/\(kind.rawValue)", .adminOnly, "Import \(kind.rawValue) from a CSV body (dry run with dryRun=true)") {
                try await c.importFile(kind, $0, $1)
            }
        }
    }

    /// The query, read strictly: a value outside its list is a 400 naming the parameter.
    struct Choice {
        var mapping: ImportMapping
        var options: ImportOptions
        var fileName: String

        init(kind: ImportKind, _ q: Parameters) throws {
            func flag(_ name: String) throws -> Bool {
                guard let raw = q.get(name) else { return false }
                guard let value = Bool(raw) else { throw AppError.badRequest("must be true or false", field: name) }
                return value
            }
            let preset = q.get("mapping") ?? "scartrack"
            guard var mapping = ImportMapping.preset(preset, kind: kind) else {
                throw AppError.badRequest("must be one of " + ImportMapping.presetNames(kind).joined(separator: ", ") + " for \(kind.rawValue)", field: "mapping")
            }
            if let raw = q.get("dateFormat") {
                guard let format = ImportDateFormat(rawValue: raw) else {
                    throw AppError.badRequest("must be one of " + ImportDateFormat.allCases.map(\.rawValue).joined(separator: ", "), field: "dateFormat")
                }
                mapping.dateFormat = format
            }
            self.mapping = mapping
            options = ImportOptions(dryRun: try flag("dryRun"), importDuplicates: try flag("importDuplicates"))
            // The audit names the file by its SHA-256; the name is only a label.
            fileName = "api-\(kind.rawValue).csv"
        }
    }

    func importFile(_ kind: ImportKind, _ request: Request, _ context: AppContext) async throws -> Response {
        let choice = try Choice(kind: kind, request.uri.queryParameters)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("text/csv") else { throw AppError(.unsupportedMediaType, "Unsupported media type", detail: "Send the file as text/csv.") }
        var request = request
        let body = try await request.collectBody(upTo: ImportPageController.maxBytes)
        guard body.readableBytes > 0 else { throw AppError.validation([FieldError("body", "is empty: send the CSV file as the body")]) }
        let uploads = ImportUploads(dataDirectory: services.configuration.dataDirectory)
        let file = try uploads.temporary(Data(body.readableBytesView))
        defer { try? FileManager.default.removeItem(at: file) }
        let summary: ImportSummary
        do {
            summary = try await ImportRunner(services: services).run(kind, file: file, fileName: choice.fileName, mapping: choice.mapping,
                                                                     options: choice.options, context: context)
        } catch let error as ImportFileError {
            throw AppError.validation([FieldError("body", error.description)])
        }
        // A header without a required column: nothing was read; the problems name the columns.
        let header = summary.problems.filter { $0.row == 1 }
        if summary.rowsRead == 0, !header.isEmpty {
            throw AppError.validation(header.map { FieldError($0.field, $0.reason) })
        }
        return try JSON.response(ImportSummaryJSON(summary))
    }
}

/// The summary of an import as JSON.
struct ImportSummaryJSON: Encodable {
    var kind: String
    var dryRun: Bool
    var fileName: String
    var fileSHA256: String
    var notice: String?
    var separator: String
    var rowsRead, emptyLines, imported, alreadyImported, rowsWithErrors, batches: Int
    var duplicates: [Duplicate]
    var problems: [ImportProblem]

    struct Duplicate: Encodable {
        var row: Int
        var sourceId: String
        var name: String
        var dateOfBirth: String
        var existingRecordNumber: String?
        var existingPatientId: String?
        var sameFileRow: Int?
    }

    init(_ s: ImportSummary) {
        kind = s.kind.rawValue
        dryRun = s.dryRun
        fileName = s.fileName
        fileSHA256 = s.fileSHA256
        notice = s.notice
        separator = s.separator
        (rowsRead, emptyLines, imported, alreadyImported, rowsWithErrors, batches) = (s.rowsRead, s.emptyLines, s.imported, s.alreadyImported,
                                                                                    s.rowsWithErrors, s.batches)
        duplicates = s.duplicates.map {
            Duplicate(row: $0.row, sourceId: $0.sourceId, name: $0.name, dateOfBirth: $0.dateOfBirth.description, existingRecordNumber: $0.existingRecordNumber,
                      existingPatientId: $0.existingPatientId?.lower, sameFileRow: $0.sameFileRow)
        }
        problems = s.problems
    }
}

/// Runs the import use case of a kind for a signed-in administrator (the page and the API alike).
struct ImportRunner {
    let services: AppServices

    func run(_ kind: ImportKind, file: URL, fileName: String, mapping: ImportMapping, options: ImportOptions,
             context: AppContext) async throws -> ImportSummary {
        let clinicId = context.signedInUser.clinicId
        switch kind {
        case .patients:
            return try await ImportPatients(services.database)(file, fileName: fileName, mapping: mapping, options: options, clinicId: clinicId,
                                                               today: context.today, actor: context.auditActor)
        case .appointments:
            let zone = TimeZone(identifier: context.signedIn?.clinicTimeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
            return try await ImportAppointments(services.database)(file, fileName: fileName, mapping: mapping, options: options, clinicId: clinicId,
                                                                   zone: zone, actor: context.auditActor)
        }
    }
}

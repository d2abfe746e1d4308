import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/admin/import`: an administrator uploads a CSV of patients or appointments, chooses the
/// column mapping (the ScarTrack template or OpenEMR's patient export) and the date format, reads
/// the dry run (every row checked, nothing written: errors by row, likely duplicates), then
/// imports it, and can download the error report as CSV. Larger files go through
/// `scartrack import` (docs/IMPORT.md).
struct ImportPageController {
    let services: AppServices
    var uploads: ImportUploads { ImportUploads(dataDirectory: services.configuration.dataDirectory) }
    static let maxBytes = 25 * 1024 * 1024

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/admin/import", .adminOnly, "Import patients or appointments from CSV", c.start)
        routes.upload("/admin/import", .adminOnly, "Upload a CSV file and see the dry run", limit: maxBytes + 64 * 1024, c.upload)
        routes.form("/admin/import/:id", .adminOnly, "Import an uploaded CSV file", c.run)
        routes.page("/admin/import/:id/errors.csv", .adminOnly, "Download the error report of an import", c.errors)
    }

    @Sendable func start(_ request: Request, _ context: AppContext) async throws -> Response {
        page(context, choice: nil, summary: nil, uploadId: nil, errors: [:], status: .ok)
    }

    @Sendable func upload(_ request: Request, _ context: AppContext, _ form: MultipartForm) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        var errors: [String: String] = [:]
        let kind = ImportKind(rawValue: form["kind"] ?? "")
        if kind == nil { errors["kind"] = "must be patients or appointments" }
        let preset = form["mapping"] ?? ""
        if let kind, ImportMapping.preset(preset, kind: kind) == nil {
            errors["mapping"] = "must be one of " + ImportMapping.presetNames(kind).joined(separator: ", ") + " for \(kind.rawValue)"
        }
        let dateFormat = ImportDateFormat(rawValue: form["dateFormat"] ?? "")
        if dateFormat == nil { errors["dateFormat"] = "must be one of " + ImportDateFormat.allCases.map(\.rawValue).joined(separator: ", ") }
        let part = form.file("file")
        if part == nil || part?.body.isEmpty == true { errors["file"] = "is required: choose a CSV file" }
        if let part, part.body.count > Self.maxBytes { errors["file"] = "is larger than 25 MiB: use scartrack import on the server" }
        let choice = ImportUploads.Choice(clinicId: clinicId, kind: kind ?? .patients, preset: preset, dateFormat: dateFormat ?? .iso,
                                          fileName: String((part?.filename ?? "upload.csv").suffix(120)))
        guard errors.isEmpty, let part else { return page(context, choice: choice, summary: nil, uploadId: nil, errors: errors, status: .unprocessableContent) }
        let id = try uploads.save(part.body, choice: choice)
        return try await report(context, id: id, choice: choice, dryRun: true)
    }

    @Sendable func run(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        guard let choice = uploads.choice(id, clinicId: context.signedInUser.clinicId) else { throw AppError.notFound }
        guard uploads.hasFile(id) else {
            return page(context, choice: choice, summary: nil, uploadId: nil, errors: ["file": "was imported already: upload it again to re-check it"],
                        status: .conflict)
        }
        return try await report(context, id: id, choice: choice, dryRun: false)
    }

    @Sendable func errors(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        guard uploads.choice(id, clinicId: context.signedInUser.clinicId) != nil,
              let text = try? String(contentsOf: uploads.errors(id), encoding: .utf8) else { throw AppError.notFound }
        return CSVResponse.download(text, filename: "import-errors.csv")
    }

    /// Runs the dry run or the import on the stored upload and shows what it found.
    func report(_ context: AppContext, id: UUID, choice: ImportUploads.Choice, dryRun: Bool) async throws -> Response {
        guard let mapping = choice.mapping else { throw AppError.notFound }
        let summary: ImportSummary
        do {
            summary = try await ImportRunner(services: services).run(choice.kind, file: uploads.file(id), fileName: choice.fileName, mapping: mapping,
                                                                     options: ImportOptions(dryRun: dryRun), context: context)
        } catch let error as ImportFileError {
            uploads.removeFile(id)
            return page(context, choice: choice, summary: nil, uploadId: nil, errors: ["file": error.description], status: .unprocessableContent)
        }
        try uploads.keep(report: summary, for: id)
        if !dryRun { uploads.removeFile(id) }
        return page(context, choice: choice, summary: summary, uploadId: id, errors: [:], status: .ok)
    }
}

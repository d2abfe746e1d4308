import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore

/// The `/admin/import` page: the upload form (with what was chosen kept), and the report of a dry
/// run or an import (counts, errors by row, likely duplicates, the next step).
extension ImportPageController {
    static let shownProblems = 200

    func page(_ context: AppContext, choice: ImportUploads.Choice?, summary: ImportSummary?, uploadId: UUID?, errors: [String: String],
              status: HTTPResponse.Status) -> Response {
        let kind = choice?.kind ?? .patients
        let preset = choice?.preset ?? "scartrack"
        let dateFormat = choice?.dateFormat ?? .iso
        let page = ImportPage(
            fieldErrors: errors,
            kindOptions: ImportKind.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == kind) },
            mappingOptions: [("scartrack", "ScarTrack template"), ("openemr", "OpenEMR patient export (patients only)")].map {
                .init(value: $0.0, label: $0.1, selected: $0.0 == preset)
            },
            dateOptions: ImportDateFormat.allCases.map { .init(value: $0.rawValue, label: $0.rawValue, selected: $0 == dateFormat) },
            kindError: errors["kind"], mappingError: errors["mapping"], dateFormatError: errors["dateFormat"], fileError: errors["file"],
            maxMB: Self.maxBytes / (1024 * 1024),
            patientColumns: ImportField.fields(of: .patients).map(\.rawValue).joined(separator: ", "),
            appointmentColumns: ImportField.fields(of: .appointments).map(\.rawValue).joined(separator: ", "),
            report: summary.flatMap { s in uploadId.map { Self.report(s, uploadId: $0, canImport: s.dryRun && s.imported > 0) } })
        let title = summary.map { $0.dryRun ? "Import check" : "Import done" } ?? "Import"
        return services.views.render(.adminImport, title: title, section: "import", page: page, context: context, status: status)
    }

    static func report(_ s: ImportSummary, uploadId: UUID, canImport: Bool) -> ImportPage.Report {
        let counts: [(String, Int)] = [
            ("Rows read", s.rowsRead), (s.dryRun ? "Ready to import" : "Imported", s.imported), ("Already imported (unchanged)", s.alreadyImported),
            ("Likely duplicates held for review", s.duplicates.count), ("Rows with errors (skipped)", s.rowsWithErrors),
            ("Empty lines skipped", s.emptyLines),
        ]
        return .init(
            dryRun: s.dryRun, kind: s.kind.rawValue, fileName: s.fileName, sha: s.fileSHA256, notice: s.notice, separator: s.separator,
            counts: counts.map { .init(label: $0.0, value: $0.1) },
            problems: s.problems.prefix(shownProblems).map { .init(row: $0.row, field: $0.field, reason: $0.reason) },
            moreProblems: s.problems.count > shownProblems ? s.problems.count - shownProblems : nil,
            duplicates: s.duplicates.map {
                .init(row: $0.row, sourceId: $0.sourceId, name: $0.name, dateOfBirth: $0.dateOfBirth.description,
                      existing: $0.existingRecordNumber ?? $0.likeWhat, existingURL: $0.existingPatientId.map { PatientLinks.url($0) })
            },
            canImport: canImport, action: "/admin/import/\(uploadId.lower)", errorsURL: "/admin/import/\(uploadId.lower)/errors.csv",
            rate: s.rowsPerSecond)
    }
}

/// The `admin-import` page's view model: the upload form (what was chosen, the message beside
/// each field) and, after a dry run or an import, its report.
struct ImportPage {
    typealias Option = SelectOption

    struct Report {
        struct Count { var label: String; var value: Int }
        struct Problem { var row: Int; var field: String; var reason: String }

        struct Duplicate {
            var row: Int
            var sourceId: String
            var name: String
            var dateOfBirth: String
            var existing: String
            var existingURL: String?
        }

        var dryRun: Bool
        var kind: String
        var fileName: String
        var sha: String
        var notice: String?
        var separator: String
        var counts: [Count]
        var problems: [Problem]
        /// How many errors the page leaves to the error report, when it leaves some.
        var moreProblems: Int?
        var duplicates: [Duplicate]
        var canImport: Bool
        var action: String
        var errorsURL: String
        var rate: Int
    }

    /// The message beside each field, by field name.
    var fieldErrors: [String: String]
    var kindOptions: [Option]
    var mappingOptions: [Option]
    var dateOptions: [Option]
    var kindError: String?
    var mappingError: String?
    var dateFormatError: String?
    var fileError: String?
    var maxMB: Int
    var patientColumns: String
    var appointmentColumns: String
    var report: Report?
}

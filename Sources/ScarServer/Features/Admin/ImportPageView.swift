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
        func error(_ field: String) -> [String: Any] { ["message": errors[field] ?? "", "has": errors[field] != nil] }
        var data: [String: Any] = [
            "hasBanner": !errors.isEmpty,
            "kindOptions": ImportKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == kind] as [String: Any] },
            "mappingOptions": [("scartrack", "ScarTrack template"), ("openemr", "OpenEMR patient export (patients only)")].map {
                ["value": $0.0, "label": $0.1, "selected": $0.0 == preset] as [String: Any]
            },
            "dateOptions": ImportDateFormat.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": $0 == dateFormat] as [String: Any] },
            "kindError": error("kind"), "mappingError": error("mapping"), "dateFormatError": error("dateFormat"), "fileError": error("file"),
            "maxMB": Self.maxBytes / (1024 * 1024),
            "patientColumns": ImportField.fields(of: .patients).map(\.rawValue).joined(separator: ", "),
            "appointmentColumns": ImportField.fields(of: .appointments).map(\.rawValue).joined(separator: ", "),
        ]
        if let summary, let uploadId {
            data["report"] = Self.report(summary, uploadId: uploadId, canImport: summary.dryRun && summary.imported > 0)
        }
        let title = summary.map { $0.dryRun ? "Import check" : "Import done" } ?? "Import"
        return services.views.render(.adminImport, title: title, section: "import", data: data, context: context, status: status)
    }

    static func report(_ s: ImportSummary, uploadId: UUID, canImport: Bool) -> [String: Any] {
        let counts: [(String, Int)] = [
            ("Rows read", s.rowsRead), (s.dryRun ? "Ready to import" : "Imported", s.imported), ("Already imported (unchanged)", s.alreadyImported),
            ("Likely duplicates held for review", s.duplicates.count), ("Rows with errors (skipped)", s.rowsWithErrors),
            ("Empty lines skipped", s.emptyLines),
        ]
        return [
            "dryRun": s.dryRun, "kind": s.kind.rawValue, "fileName": s.fileName, "sha": s.fileSHA256, "notice": s.notice ?? "",
            "hasNotice": s.notice != nil, "separator": s.separator,
            "counts": counts.map { ["label": $0.0, "value": $0.1] as [String: Any] },
            "hasProblems": !s.problems.isEmpty,
            "problems": s.problems.prefix(shownProblems).map { ["row": $0.row, "field": $0.field, "reason": $0.reason] as [String: Any] },
            "moreProblems": max(0, s.problems.count - shownProblems), "hasMoreProblems": s.problems.count > shownProblems,
            "hasDuplicates": !s.duplicates.isEmpty,
            "duplicates": s.duplicates.map {
                ["row": $0.row, "sourceId": $0.sourceId, "name": $0.name, "dateOfBirth": $0.dateOfBirth.description,
                 "existing": $0.existingRecordNumber, "existingURL": PatientLinks.url($0.existingPatientId)] as [String: Any]
            },
            "canImport": canImport, "action": "/admin/import/\(uploadId.lower)", "errorsURL": "/admin/import/\(uploadId.lower)/errors.csv",
            "rate": s.rowsPerSecond,
        ]
    }
}

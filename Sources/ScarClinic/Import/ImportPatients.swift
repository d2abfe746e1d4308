import Foundation
import ScarCore
import ScarStore

/// Importing patients from a CSV file (`scartrack import patients`, `/admin/import`). Every row is
/// mapped and checked with the registration rules (`ImportedPatient.validate` → `PatientDetails.validate`);
/// then, batch by batch in one transaction each: rows whose source id was imported before are
/// skipped (re-running a file changes nothing), rows likely to be a patient the clinic already has
/// (same folded name and date of birth) are held and listed for review unless the clinic asked to
/// import them as new patients, and the rest are registered, remembered by source id, counted in
/// `import_batches` and audited once per batch (`patient.import`, naming the file's SHA-256 and the
/// patients). A dry run does the same look-ups on a read connection and writes nothing.
public struct ImportPatients: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ url: URL, fileName: String, mapping: ImportMapping, options: ImportOptions, clinicId: UUID, today: CalendarDate,
                               actor: AuditActor, now: @escaping @Sendable () -> Date = Date.init,
                               progress: @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        let run = ImportRun<ImportedPatient>(kind: .patients, mapping: mapping, options: options,
                                             validate: { ImportedPatient.validate($0, row: $1, columns: $2, today: today) },
                                             sourceId: \.sourceId)
        let runId = UUID()
        // The first row of the file with each folded name and date of birth (likely duplicates within the file).
        var firstRows: [String: Int] = [:]
        return try await run.run(url, name: fileName, clock: now, progress: progress) { rows, number, summary in
            var sameFile: [Int: Int] = [:]
            for row in rows {
                let key = LikelyDuplicate.key(givenName: row.details.givenName, familyName: row.details.familyName, dateOfBirth: row.details.dateOfBirth)
                if let first = firstRows[key] { sameFile[row.row] = first } else { firstRows[key] = row.row }
            }
            let earlier = sameFile
            try await run.write(batch: rows, number: number, into: &summary, runId: runId, fileName: fileName, clinicId: clinicId, actor: actor,
                                database: database, now: now,
                                classify: { tx in
                                    try await Self.classify(rows, mapping: mapping, options: options, clinicId: clinicId, sameFile: earlier, in: tx)
                                },
                                insert: { row, tx in (row.sourceId, try await tx.insert(patient: row.details, clinicId: clinicId, now: now()).id) })
        }
    }

    struct BatchOutcome: ImportBatchOutcome {
        var toImport: [ImportedPatient] = []
        var alreadyImported = 0
        var duplicates: [ImportDuplicate] = []
        var problems: [ImportProblem] = []
        var heldForReview: Int { duplicates.count }

        func add(to summary: inout ImportSummary) {
            summary.duplicates += duplicates
            summary.problems += problems
        }
    }

    /// Which rows of a batch are new, already imported, likely duplicates, or carry a record number in use.
    /// `sameFile`: row → the earlier row of the file with the same folded name and date of birth.
    static func classify(_ rows: [ImportedPatient], mapping: ImportMapping, options: ImportOptions, clinicId: UUID, sameFile: [Int: Int] = [:],
                         in tx: UnitOfWork) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        let known = try await tx.importedRecords(.patients, sourceIds: rows.map(\.sourceId), clinicId: clinicId)
        let fresh = rows.filter { known[$0.sourceId] == nil }
        outcome.alreadyImported = rows.count - fresh.count
        let existing = try await tx.patientsBorn(on: fresh.map(\.details.dateOfBirth), clinicId: clinicId)
        let byKey = Dictionary(existing.map { (LikelyDuplicate.key(givenName: $0.givenName, familyName: $0.familyName, dateOfBirth: $0.dateOfBirth), $0) },
                               uniquingKeysWith: { a, _ in a })
        let used = try await tx.patientIds(recordNumbers: fresh.compactMap(\.details.mrn), clinicId: clinicId)
        for row in fresh {
            let d = row.details
            if let mrn = d.mrn, used[mrn] != nil {
                outcome.problems.append(ImportProblem(row: row.row, field: mapping.columns[.recordNumber] ?? "recordNumber", reason: "is already the record number of another patient"))
                continue
            }
            if let match = byKey[LikelyDuplicate.key(givenName: d.givenName, familyName: d.familyName, dateOfBirth: d.dateOfBirth)] {
                outcome.duplicates.append(ImportDuplicate(row: row.row, sourceId: row.sourceId, name: "\(d.givenName) \(d.familyName)",
                                                          dateOfBirth: d.dateOfBirth, existingRecordNumber: match.recordNumber,
                                                          existingPatientId: match.id))
                if !options.importDuplicates { continue }
            } else if let first = sameFile[row.row] {
                outcome.duplicates.append(ImportDuplicate(row: row.row, sourceId: row.sourceId, name: "\(d.givenName) \(d.familyName)",
                                                          dateOfBirth: d.dateOfBirth, sameFileRow: first))
                if !options.importDuplicates { continue }
            }
            outcome.toImport.append(row)
        }
        return outcome
    }
}

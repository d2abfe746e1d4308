import Foundation
import ScarCore
import ScarStore

/// What one batch of an import found: the rows to write, the rows imported before, and the rows
/// held for review; each import adds what else it found to the summary.
protocol ImportBatchOutcome: Sendable {
    associatedtype Item: Sendable
    var toImport: [Item] { get }
    var alreadyImported: Int { get }
    var heldForReview: Int { get }
    func add(to summary: inout ImportSummary)
}

extension ImportRun {
    /// One batch in one transaction: `classify` looks its rows up, `insert` writes each new one
    /// (returning its source id and new record id), then the batch is counted in
    /// `import_batches`, its records remembered by source id, and one audit entry names them.
    /// A dry run does the look-ups on a read connection and writes nothing.
    func write<Outcome: ImportBatchOutcome>(batch rows: [Row], number: Int, into summary: inout ImportSummary, runId: UUID, fileName: String,
                                            clinicId: UUID, actor: AuditActor, database: ScarDatabase, now: @escaping @Sendable () -> Date,
                                            classify: @escaping @Sendable (UnitOfWork) async throws -> Outcome,
                                            insert: @escaping @Sendable (Outcome.Item, UnitOfWork) async throws -> (String, UUID)) async throws {
        let (kind, sha, dryRun, count) = (self.kind, summary.fileSHA256, options.dryRun, rows.count)
        let work: @Sendable (UnitOfWork) async throws -> Outcome = { tx in
            let outcome = try await classify(tx)
            guard !dryRun else { return outcome }
            var sources: [(String, UUID)] = []
            for item in outcome.toImport { sources.append(try await insert(item, tx)) }
            let record = ImportBatchRecord(runId: runId, kind: kind, fileSHA256: sha, fileName: fileName, batchNumber: number,
                                           rowsInBatch: count, imported: sources.count, alreadyImported: outcome.alreadyImported,
                                           heldForReview: outcome.heldForReview)
            let batchId = UUID()
            try await tx.record(importBatch: record, id: batchId, clinicId: clinicId, actor: actor, sources: sources, now: now())
            try await tx.audit(ImportAudit.event(record, batchId: batchId, recordIds: sources.map(\.1)), by: actor, now: now())
            return outcome
        }
        let outcome = dryRun ? try await database.read(unitOfWork: work) : try await database.write(unitOfWork: work)
        summary.imported += outcome.toImport.count
        summary.alreadyImported += outcome.alreadyImported
        outcome.add(to: &summary)
    }
}

/// The one audit entry of an imported batch: what kind, which file (SHA-256), which batch, how many, and the records' ids.
enum ImportAudit {
    static func event(_ batch: ImportBatchRecord, batchId: UUID, recordIds: [UUID]) -> AuditEvent {
        AuditEvent(action: batch.kind == .patients ? "patient.import" : "appointment.import", recordType: "import_batch",
                   recordId: batchId.lower,
                   details: ["fileSHA256": batch.fileSHA256, "batch": String(batch.batchNumber), "imported": String(recordIds.count),
                             "alreadyImported": String(batch.alreadyImported), "heldForReview": String(batch.heldForReview),
                             "recordIds": recordIds.map(\.lower).joined(separator: ",")])
    }
}

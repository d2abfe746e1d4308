import Foundation
import ScarCore
import ScarStore

/// Importing appointments from a CSV file. Each row is checked (`ImportedAppointment.validate`, dates
/// in the mapping's format, times in the clinic's zone); then, batch by batch in one transaction
/// each, its patient is found by the source id of an earlier patient import (or by record number),
/// its practitioner and room by name, rows imported before are skipped, and the rest are stored as
/// they stood in the other system (no calendar checks: they are history or already agreed). Only a
/// booked appointment still ahead gets the usual messages; a past one sends nothing. One
/// `appointment.import` audit entry per batch. A dry run looks everything up and writes nothing.
public struct ImportAppointments: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(_ url: URL, fileName: String, mapping: ImportMapping, options: ImportOptions, clinicId: UUID, zone: TimeZone,
                               actor: AuditActor, now: @escaping @Sendable () -> Date = Date.init,
                               progress: @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        let run = ImportRun<ImportedAppointment>(kind: .appointments, mapping: mapping, options: options,
                                                 validate: { ImportedAppointment.validate($0, row: $1, columns: $2, zone: zone) },
                                                 sourceId: \.sourceId)
        let runId = UUID()
        let resources = try await database.read(unitOfWork: { tx in try await tx.importResources(clinicId: clinicId) })
        return try await run.run(url, name: fileName, clock: now, progress: progress) { rows, number, summary in
            try await run.write(batch: rows, number: number, into: &summary, runId: runId, fileName: fileName, clinicId: clinicId, actor: actor,
                                database: database, now: now,
                                classify: { tx in try await Self.classify(rows, mapping: mapping, resources: resources, clinicId: clinicId, in: tx) },
                                insert: { item, tx in
                                    let id = try await tx.insert(imported: item.row, patientId: item.patientId, practitionerId: item.practitionerId,
                                                                 roomId: item.roomId, clinicId: clinicId, createdBy: actor.userId ?? item.practitionerId,
                                                                 now: now())
                                    return (item.row.sourceId, id)
                                })
        }
    }

    struct Resolved: Sendable {
        var row: ImportedAppointment
        var patientId: UUID
        var practitionerId: UUID
        var roomId: UUID
    }

    struct BatchOutcome: ImportBatchOutcome {
        var toImport: [Resolved] = []
        var alreadyImported = 0
        var problems: [ImportProblem] = []
        var heldForReview: Int { 0 }

        func add(to summary: inout ImportSummary) { summary.problems += problems }
    }

    /// Finds each new row's patient, practitioner and room; a row missing any of them is a problem.
    static func classify(_ rows: [ImportedAppointment], mapping: ImportMapping, resources: (staff: [String: UUID], rooms: [String: UUID]),
                         clinicId: UUID, in tx: UnitOfWork) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        let known = try await tx.importedRecords(.appointments, sourceIds: rows.map(\.sourceId), clinicId: clinicId)
        let fresh = rows.filter { known[$0.sourceId] == nil }
        outcome.alreadyImported = rows.count - fresh.count
        var bySource: [String] = []
        var byNumber: [String] = []
        for row in fresh {
            switch row.patient {
            case .sourceId(let id): bySource.append(id)
            case .recordNumber(let mrn): byNumber.append(mrn)
            }
        }
        let patients = try await tx.importedRecords(.patients, sourceIds: bySource, clinicId: clinicId)
        let numbered = try await tx.patientIds(recordNumbers: byNumber, clinicId: clinicId)
        func header(_ f: ImportField) -> String { mapping.columns[f] ?? f.rawValue }
        for row in fresh {
            var problems: [ImportProblem] = []
            let patientId: UUID?
            switch row.patient {
            case .sourceId(let id):
                patientId = patients[id]
                if patientId == nil {
                    problems.append(ImportProblem(row: row.row, field: header(.patientSourceId),
                                                  reason: "no imported patient has this source id (import the patients first)"))
                }
            case .recordNumber(let mrn):
                patientId = numbered[mrn]
                if patientId == nil { problems.append(ImportProblem(row: row.row, field: header(.patientRecordNumber), reason: "no patient has this record number")) }
            }
            let practitionerId = resources.staff[row.practitioner.lowercased()]
            if practitionerId == nil {
                problems.append(ImportProblem(row: row.row, field: header(.practitioner), reason: "no active staff member of the clinic has this name"))
            }
            let roomId = resources.rooms[row.room.lowercased()]
            if roomId == nil { problems.append(ImportProblem(row: row.row, field: header(.room), reason: "no room of the clinic in use has this name")) }
            guard problems.isEmpty, let patientId, let practitionerId, let roomId else { outcome.problems += problems; continue }
            outcome.toImport.append(Resolved(row: row, patientId: patientId, practitionerId: practitionerId, roomId: roomId))
        }
        return outcome
    }
}

import Foundation
import ScarCore
import ScarStore

/// How to run an import.
public struct ImportOptions: Sendable {
    /// Validate every row and look everything up, but write nothing.
    public var dryRun: Bool
    /// Import rows listed as likely duplicates as new patients (after the clinic has reviewed them).
    public var importDuplicates: Bool
    /// Rows per transaction.
    public var batchSize: Int

    public init(dryRun: Bool = false, importDuplicates: Bool = false, batchSize: Int = 500) {
        self.dryRun = dryRun
        self.importDuplicates = importDuplicates
        self.batchSize = max(1, batchSize)
    }
}

/// A row that is likely the same person as a patient the clinic already has, or as an earlier
/// row of the same file (same folded name and date of birth): listed, never merged.
public struct ImportDuplicate: Sendable, Equatable {
    public var row: Int
    public var sourceId: String
    public var name: String
    public var dateOfBirth: CalendarDate
    /// The patient already registered it is like (nil when it is like an earlier row of the file).
    public var existingRecordNumber: String?
    public var existingPatientId: UUID?
    /// The earlier row of the same file it is like.
    public var sameFileRow: Int?

    /// What it is like, in words: "patient 1042" or "row 3 of this file".
    public var likeWhat: String {
        if let existingRecordNumber { return "patient \(existingRecordNumber)" }
        return "row \(sameFileRow ?? 0) of this file"
    }

    /// Its line in the per-row report (never an error: held for review).
    var reportLine: ImportProblem {
        ImportProblem(row: row, field: "likely duplicate", reason: "same name and date of birth as \(likeWhat): held for review and not imported")
    }
}

/// Where a running import stands, after each batch.
public struct ImportProgress: Sendable, Equatable {
    public var rowsRead: Int
    public var imported: Int
    public var batches: Int
}

/// What an import (or its dry run) found and did.
public struct ImportSummary: Sendable {
    public var kind: ImportKind
    public var dryRun: Bool
    public var fileName: String
    public var fileSHA256: String
    /// A sentence about the file's encoding, when it was not plain UTF-8.
    public var notice: String?
    public var separator: String
    /// Data rows read (empty lines not counted).
    public var rowsRead = 0
    public var emptyLines = 0
    /// Rows written (in a dry run: rows that would be written).
    public var imported = 0
    /// Rows whose source id was imported before: nothing changes for them.
    public var alreadyImported = 0
    public var duplicates: [ImportDuplicate] = []
    public var problems: [ImportProblem] = []
    public var batches = 0
    public var seconds = 0.0

    /// Rows with at least one problem (skipped).
    public var rowsWithErrors: Int { Set(problems.filter { $0.row > 1 }.map(\.row)).count }
    public var rowsPerSecond: Int { seconds > 0 ? Int(Double(rowsRead) / seconds) : rowsRead }
    /// The per-row report as CSV (`row,field,reason`): the errors, and the likely duplicates held for review.
    public var errorReport: String {
        ImportProblem.report((problems + duplicates.map(\.reportLine)).sorted { ($0.row, $0.field) < ($1.row, $1.field) })
    }
}

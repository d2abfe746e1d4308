import CSV
import Foundation
import ScarCore
import ScarStore

/// The part both imports share: open the file, match the header to the mapping, validate every
/// row with ScarCore, and hand the valid rows on in batches. Rows with a problem are reported and
/// skipped before any batch is written, so a batch holds only rows that passed; each batch is one
/// transaction (`write`), so a batch the database still refuses leaves nothing behind and stops
/// the run (batches before it stay; running the file again skips them by their source ids).
struct ImportRun<Row: Sendable> {
    let kind: ImportKind
    let mapping: ImportMapping
    let options: ImportOptions
    let validate: @Sendable ([String], Int, ImportColumns) -> Result<Row, ImportProblems>
    let sourceId: @Sendable (Row) -> String

    /// Reads `url`; `batch` gets each batch of valid rows with its number, and returns what it
    /// found (written or, in a dry run, only looked up). Cells longer than this are refused
    /// (an unclosed quote swallows the rest of the file into one cell).
    static var maxCell: Int { 10_000 }

    func run(_ url: URL, name: String, clock: @Sendable () -> Date = Date.init, progress: @Sendable (ImportProgress) -> Void,
             batch: ([Row], Int, inout ImportSummary) async throws -> Void) async throws -> ImportSummary {
        let started = clock()
        let file = try ImportFile.open(url, name: name)
        defer { file.close() }
        var summary = ImportSummary(kind: kind, dryRun: options.dryRun, fileName: name, fileSHA256: file.sha256, notice: file.notice,
                                    separator: file.separator == "\t" ? "tab" : String(file.separator))
        let reader = try file.reader()
        let columns: ImportColumns
        switch ImportColumns.resolve(header: reader.headerRow ?? [], mapping: mapping) {
        case .success(let c): columns = c
        case .failure(let failure):
            summary.problems = failure.problems
            return summary
        }
        var seen = Set<String>()
        var pending: [Row] = []
        var number = 1
        while let cells = reader.next() {
            number += 1
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { summary.emptyLines += 1; continue }
            summary.rowsRead += 1
            if let long = cells.firstIndex(where: { $0.count > Self.maxCell }) {
                summary.problems.append(ImportProblem(row: number, field: reader.headerRow?[safe: long] ?? "column \(long + 1)",
                                                      reason: "is longer than \(Self.maxCell) characters (is a quote left open?)"))
                continue
            }
            switch validate(cells, number, columns) {
            case .failure(let failure): summary.problems += failure.problems
            case .success(let row):
                guard seen.insert(sourceId(row)).inserted else {
                    summary.problems.append(ImportProblem(row: number, field: columns.header(.sourceId), reason: "repeats a source id of an earlier row"))
                    continue
                }
                pending.append(row)
                if pending.count == options.batchSize {
                    try await flush(&pending, &summary, progress, batch)
                }
            }
        }
        // On Linux the stream reports bytes available at its end, so CSV.swift ends every file with
        // `cannotReadFile` after the last row; the whole file was read once already (`ImportFile.open`).
        if let error = reader.error {
            if case CSVError.cannotReadFile = error {} else { throw ImportFileError("The file could not be read to the end (\(error)).") }
        }
        try await flush(&pending, &summary, progress, batch)
        summary.problems.sort { ($0.row, $0.field) < ($1.row, $1.field) }
        summary.seconds = clock().timeIntervalSince(started)
        return summary
    }

    private func flush(_ pending: inout [Row], _ summary: inout ImportSummary, _ progress: @Sendable (ImportProgress) -> Void,
                       _ batch: ([Row], Int, inout ImportSummary) async throws -> Void) async throws {
        guard !pending.isEmpty else { return }
        summary.batches += 1
        try await batch(pending, summary.batches, &summary)
        pending.removeAll(keepingCapacity: true)
        progress(ImportProgress(rowsRead: summary.rowsRead, imported: summary.imported, batches: summary.batches))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

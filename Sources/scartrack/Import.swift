import ArgumentParser
import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore

/// `scartrack import patients|appointments FILE.csv`: the CSV import (docs/IMPORT.md).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import patients or appointments from a CSV file (see docs/IMPORT.md).",
        subcommands: [Patients.self, Appointments.self])

    struct Options: ParsableArguments {
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Clinic id or exact name (default: the only clinic).") var clinic: String?
        @Option(help: "scartrack, openemr (patients only), or a mapping JSON file.") var mapping = "scartrack"
        @Flag(help: "Check every row and report; write nothing.") var dryRun = false
        @Option(help: "Write the per-row error report (row, field, reason) to this CSV file.") var errors: String?
        @Flag(help: "Import rows listed as likely duplicates as new patients (after review).") var importDuplicates = false
        @Option(help: "Rows per transaction.") var batchSize = 500

        func resolvedMapping(_ kind: ImportKind) throws -> ImportMapping {
            if let preset = ImportMapping.preset(mapping, kind: kind) { return preset }
            guard FileManager.default.fileExists(atPath: mapping) else {
                throw ValidationError("--mapping must be \(ImportMapping.presetNames(kind).joined(separator: " or ")) or a mapping JSON file")
            }
            do {
                let m = try JSONDecoder().decode(ImportMapping.self, from: Data(contentsOf: URL(fileURLWithPath: mapping)))
                guard m.kind == kind else { throw ValidationError("--mapping \(mapping) is a \(m.kind.rawValue) mapping") }
                return m
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("--mapping \(mapping) is not a valid mapping file: \(error)")
            }
        }

        func run(_ kind: ImportKind) async throws {
            let mapping = try resolvedMapping(kind)
            let url = URL(fileURLWithPath: file)
            guard FileManager.default.isReadableFile(atPath: url.path) else { throw ValidationError("Cannot read \(file)") }
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: CommandEnvironment.logger())
            let summary: ImportSummary
            do {
                let clinic = try await Bootstrap.ensureClinic(database, named: self.clinic)
                let zone = TimeZone(identifier: clinic.timeZone) ?? TimeZone(identifier: "UTC")!
                let options = ImportOptions(dryRun: dryRun, importDuplicates: importDuplicates, batchSize: batchSize)
                let actor = AuditActor.commandLine(clinicId: clinic.id)
                let name = url.lastPathComponent
                let progress: @Sendable (ImportProgress) -> Void = { p in
                    FileHandle.standardError.write(Data("\(kind.rawValue): \(p.rowsRead) rows read, \(p.imported) \(options.dryRun ? "to import" : "imported") (batch \(p.batches))\n".utf8))
                }
                switch kind {
                case .patients:
                    summary = try await ImportPatients(database)(url, fileName: name, mapping: mapping, options: options, clinicId: clinic.id,
                                                                 today: CalendarDate(clinicDayOf: Date(), in: zone), actor: actor, progress: progress)
                case .appointments:
                    summary = try await ImportAppointments(database)(url, fileName: name, mapping: mapping, options: options, clinicId: clinic.id,
                                                                     zone: zone, actor: actor, progress: progress)
                }
            } catch let error as ImportFileError {
                await database.shutdown()
                throw CommandFailure(error.description)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print(Self.describe(summary))
            if let errors {
                try summary.errorReport.write(toFile: errors, atomically: true, encoding: .utf8)
                print("Error report: \(errors)")
            }
            if summary.problems.contains(where: { $0.row == 1 }) { throw ExitCode(2) }
            if !summary.problems.isEmpty { throw ExitCode(3) }
        }

        static func describe(_ s: ImportSummary) -> String {
            var lines = ["\(s.dryRun ? "Dry run (nothing written)" : "Import") of \(s.kind.rawValue) from \(s.fileName) (SHA-256 \(s.fileSHA256))"]
            if let notice = s.notice { lines.append(notice) }
            lines.append("Rows read: \(s.rowsRead) (empty lines skipped: \(s.emptyLines))")
            lines.append("\(s.dryRun ? "Would import" : "Imported"): \(s.imported)")
            lines.append("Skipped as already imported: \(s.alreadyImported)")
            lines.append("Likely duplicates for review (not imported): \(s.duplicates.count)")
            for d in s.duplicates.prefix(20) {
                lines.append("  row \(d.row): \(d.name), born \(d.dateOfBirth) — like \(d.likeWhat)")
            }
            lines.append("Rows with errors (skipped): \(s.rowsWithErrors)")
            for p in s.problems.prefix(20) { lines.append("  row \(p.row), \(p.field): \(p.reason)") }
            if s.problems.count > 20 { lines.append("  … \(s.problems.count - 20) more (see --errors)") }
            lines.append("Rate: \(s.rowsPerSecond) rows/s (\(String(format: "%.1f", s.seconds)) s)")
            return lines.joined(separator: "\n")
        }
    }

    struct Patients: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import patients from a CSV file.")
        @OptionGroup var options: Options
        func run() async throws { try await options.run(.patients) }
    }

    struct Appointments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import appointments from a CSV file (patients imported first).")
        @OptionGroup var options: Options
        func run() async throws { try await options.run(.appointments) }
    }
}

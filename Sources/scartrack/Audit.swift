import ArgumentParser
import Foundation
import ScarStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain; exit 0 when intact, 1 naming the first bad entry otherwise.")

        func run() async throws {
            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
            let result: AuditRepository.Verification
            do {
                result = try await AuditRepository(database).verify { count in
                    FileHandle.standardError.write(Data("\rChecked \(count) entries".utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            if let bad = result.firstBad {
                print("Audit trail BROKEN at entry \(bad.seq): \(bad.reason). \(result.entries) entries before it verify.")
                throw ExitCode(1)
            }
            print("Audit trail intact: \(result.entries) entries, head \(result.headHash)")
        }
    }
}

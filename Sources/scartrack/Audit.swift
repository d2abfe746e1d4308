import ArgumentParser
import Foundation
import ScarStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain, check every MAC and the checkpoints; exit 0 when intact, 1 naming what is missing or forged.",
            discussion: """
                Checks each clinic's chain (and the installation's own, and the one installation-wide chain of \
                entries written before per-clinic chains) and reports each: every entry's hash and its link to the \
                previous entry of its chain, with no place in a chain missing; every entry's MAC (HMAC-SHA-256 under the \
                audit key from SCARTRACK_AUDIT_KEY, SCARTRACK_AUDIT_KEY_FILE or <data dir>/audit.key; entries written \
                before the key existed are reported as pre-key); and every checkpoint in the checkpoint file \
                (<data dir>/audit-checkpoints.jsonl or SCARTRACK_AUDIT_CHECKPOINT_FILE): its MAC, that the entry at its \
                sequence exists with the same hash, and that the trail reaches the newest one. When everything \
                verifies, a checkpoint of the verified head is appended.
                """)

        @Option(help: "Checkpoint file to check against (default: SCARTRACK_AUDIT_CHECKPOINT_FILE or <data dir>/audit-checkpoints.jsonl).")
        var checkpoints: String?

        func run() async throws {
            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger, checkpoint: false, checkKey: false)
            let path = checkpoints ?? CommandEnvironment.checkpointPath(configuration)
            var notes: [String] = []
            var problems: [String] = []
            let result: AuditRepository.Verification
            do {
                var trusted: [AuditCheckpoint] = []
                if let key = database.auditKey {
                    if FileManager.default.fileExists(atPath: path) {
                        let contents = AuditCheckpoints.read(path: path, key: key)
                        trusted = contents.checkpoints
                        for rejected in contents.rejected {
                            if rejected.torn {
                                notes.append("checkpoint file line \(rejected.line) cannot be read (an interrupted write?) and was skipped")
                            } else {
                                problems.append("checkpoint file \(path) line \(rejected.line): \(rejected.reason)")
                            }
                        }
                    } else if try await database.auditHead().keyedFrom > 0 {
                        problems.append("the checkpoint file \(path) is missing although audit entries carry MACs (removed?); truncation cannot be ruled out")
                    } else {
                        notes.append("no checkpoint file at \(path) yet")
                    }
                }
                result = try await AuditRepository(database).verify(checkpoints: trusted) { count in
                    FileHandle.standardError.write(Data("\rChecked \(count) entries".utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
                if result.intact, problems.isEmpty, let key = database.auditKey {
                    let heads = result.chains.compactMap { report -> AuditCheckpoint.ChainHead? in
                        switch report.chain {
                        case .legacy: nil
                        case .installation: .init(clinic: "", position: report.headPosition, seq: report.headSeq, hash: report.headHash)
                        case .clinic(let id): .init(clinic: id.uuidString.lowercased(), position: report.headPosition, seq: report.headSeq, hash: report.headHash)
                        }
                    }
                    let checkpoint = AuditCheckpoint(seq: result.headSeq, hash: result.headHash, at: Date(),
                                                     keyedFrom: result.firstKeyedSeq, chains: heads, key: key)
                    try AuditCheckpoints.append(checkpoint, to: path)
                }
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            let keyLine = database.auditKey.map { key in
                "MACs checked under key \(key.id): \(result.keyedEntries) match; \(result.preKeyEntries) pre-key entries (written before the key existed, chain-checked only)"
            } ?? "no audit key: MACs not checked"
            let checkpointLine = result.checkpoint.map { "newest checkpoint: entry \($0.seq) at \($0.readableTime)" } ?? "no checkpoint to check against"
            for note in notes { print("Note: \(note)") }
            let all = problems + result.problems.map(\.reason)
            if !all.isEmpty {
                let first = result.firstBad.map { "at entry \($0.seq)" } ?? "(checkpoints)"
                print("Audit trail BROKEN \(first): \(all.count) problem(s); \(result.found) entries found, head entry \(result.headSeq); \(result.entries) entries before the first problem verify.")
                for problem in all.prefix(50) { print("  - \(problem)") }
                if all.count > 50 { print("  … and \(all.count - 50) more") }
                print("  \(keyLine); \(checkpointLine)")
                Self.printChains(result)
                throw ExitCode(1)
            }
            print("Audit trail intact: \(result.entries) entries, head \(result.headHash)")
            print("  \(keyLine); \(checkpointLine)")
            Self.printChains(result)
        }

        /// One line per chain: each clinic's, the installation's own, the legacy prefix.
        static func printChains(_ result: AuditRepository.Verification) {
            print("Chains (one per clinic):")
            for chain in result.chains {
                let state = chain.problems == 0 ? "intact" : "\(chain.problems) problem(s)"
                print("  - \(chain.name): \(state), \(chain.entries) entries, newest entry \(chain.headSeq)")
            }
        }
    }
}

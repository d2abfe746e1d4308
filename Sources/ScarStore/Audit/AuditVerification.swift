import Foundation
import SQLKit

/// Which chain an audit entry belongs to: each clinic's, the installation's own (entries with no
/// clinic), or the one installation-wide chain of the entries written before migration 0032.
public enum AuditChain: Hashable, Sendable {
    case legacy
    case installation
    case clinic(UUID)

    init(clinicId: UUID?, chainSeq: Int?) {
        self = chainSeq == nil ? .legacy : clinicId.map(AuditChain.clinic) ?? .installation
    }

    /// How a checkpoint names the chain: the clinic's id, "" for the installation's own.
    init?(checkpointName: String) {
        if checkpointName.isEmpty { self = .installation } else if let id = UUID(uuidString: checkpointName) { self = .clinic(id) } else { return nil }
    }
}

extension AuditRepository {
public struct Verification: Sendable, Equatable {
    /// Entries that verify before the first problem (every entry when intact).
    public var entries: Int
    /// Entries found in the trail, problems or not.
    public var found: Int = 0
    public var headHash: String
    /// The head's sequence number (0 for an empty trail).
    public var headSeq: Int = 0
    /// Everything that does not fit, in order of entry: altered, missing or forged entries,
    /// MACs that do not match, and disagreements with the checkpoints.
    public var problems: [Problem] = []
    /// Entries without a MAC that come before the first one with a MAC (written before the key existed).
    public var preKeyEntries: Int = 0
    /// Entries whose MAC was checked and matches.
    public var keyedEntries: Int = 0
    /// The first entry with a MAC (0 when none has one).
    public var firstKeyedSeq: Int = 0
    /// False when no key was available, so MACs could not be checked.
    public var macsChecked: Bool = false
    /// The newest checkpoint checked against (nil when none was given).
    public var checkpoint: AuditCheckpoint?

    /// Each chain walked (the legacy prefix first when there is one), with its own counts.
    public var chains: [ChainReport] = []

    public struct Problem: Sendable, Equatable {
        public var seq: Int
        public var reason: String
        /// The chain the entry belongs to (nil for what only the checkpoints show).
        public var chain: AuditChain?

        public init(seq: Int, reason: String, chain: AuditChain? = nil) {
            (self.seq, self.reason, self.chain) = (seq, reason, chain)
        }
    }

    /// One chain's part of the verification: for `audit verify`'s per-clinic lines.
    public struct ChainReport: Sendable, Equatable {
        public var chain: AuditChain
        /// `clinic "Name"`, `installation-level entries`, or the legacy chain's description.
        public var name: String
        public var entries: Int
        /// The chain's newest entry: its place in the chain, its `seq` and hash.
        public var headPosition: Int
        public var headSeq: Int
        public var headHash: String
        /// Problems found in this chain's entries (MACs included).
        public var problems: Int
    }

    public init(entries: Int, headHash: String, firstBad: (seq: Int, reason: String)? = nil) {
        self.entries = entries
        self.headHash = headHash
        if let firstBad { problems = [Problem(seq: firstBad.seq, reason: firstBad.reason)] }
    }

    /// The first entry that does not fit the chain, and why; nil when intact.
    public var firstBad: (seq: Int, reason: String)? { problems.first.map { ($0.seq, $0.reason) } }

    public var intact: Bool { problems.isEmpty }

    public static func == (a: Verification, b: Verification) -> Bool {
        a.entries == b.entries && a.headHash == b.headHash && a.headSeq == b.headSeq && a.problems == b.problems
            && a.preKeyEntries == b.preKeyEntries && a.keyedEntries == b.keyedEntries
    }
}
}

/// `AuditRepository.verify`: walks the whole trail once in `seq` order, in batches, keeping each
/// chain's place: the legacy chain must run 1, 2, 3… by `seq` with nothing after the first per-clinic
/// entry; every other chain must run 1, 2, 3… by `chain_seq`, its first entry linking to the legacy
/// chain's last hash. Every entry's hash is recomputed and, with the audit key, its MAC checked; each
/// checkpoint's entries must be there with the hashes it saw, and every chain must reach the newest
/// checkpoint's head of it.
enum AuditChainWalk {
    typealias Verification = AuditRepository.Verification

    struct State {
        var name: String
        var position = 0
        var prevHash: String
        var lastSeq = 0
        var entries = 0
        var problems = 0
    }

    static func verify(_ db: ScarDatabase, checkpoints: [AuditCheckpoint], progress: (@Sendable (Int) -> Void)?) async throws -> Verification {
        let key = db.auditKey
        let clinicNames = try await db.read { sql in
            try await sql.raw("SELECT id, name FROM clinics").all().reduce(into: [UUID: String]()) {
                $0[try $1.decode(column: "id", as: UUID.self)] = try $1.decode(column: "name", as: String.self)
            }
        }
        func name(_ chain: AuditChain) -> String {
            switch chain {
            case .legacy: "the installation-wide chain written before per-clinic chains"
            case .installation: "installation-level entries"
            case .clinic(let id): clinicNames[id].map { "clinic \"\($0)\"" } ?? "clinic \(id.uuidString.lowercased())"
            }
        }
        var result = Verification(entries: 0, headHash: AuditTrail.genesisHash)
        result.macsChecked = key != nil
        var problems: [Verification.Problem] = []
        var badMACs: [Int] = []
        var states: [AuditChain: State] = [.legacy: State(name: name(.legacy), prevHash: AuditTrail.genesisHash)]
        var order: [AuditChain] = [.legacy]
        var chainedSince: Int?
        var lastSeq = 0, lastHash = AuditTrail.genesisHash, count = 0
        var walked: [Int] = []
        // What each checkpoint saw at an entry: its newest entry and (v2) each chain's head.
        var saw: [Int: [(hash: String, checkpoint: AuditCheckpoint)]] = [:]
        for checkpoint in checkpoints {
            var heads = [checkpoint.seq: checkpoint.hash]
            for head in checkpoint.chains ?? [] { heads[head.seq] = head.hash }
            for (seq, hash) in heads { saw[seq, default: []].append((hash, checkpoint)) }
        }
        let newest = checkpoints.max { ($0.seq, $0.at) < ($1.seq, $1.at) }
        // Entries from here on must carry a MAC: the earliest keyed entry any checkpoint saw.
        let mustBeKeyedFrom = checkpoints.map(\.keyedFrom).filter { $0 > 0 }.min() ?? Int.max
        let batch = 5000
        while true {
            let start = lastSeq + 1
            let rows = try await db.read { sql in
                try await sql.raw("SELECT \(unsafeRaw: AuditRepository.columns), mac FROM audit_log WHERE seq >= \(bind: start) ORDER BY seq LIMIT \(bind: batch)")
                    .all().map { row in
                        (try row.decode(model: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase), try row.decode(column: "mac", as: String?.self))
                    }
            }
            for (entry, mac) in rows {
                let chain = AuditChain(clinicId: entry.clinicId, chainSeq: entry.chainSeq)
                var state = states[chain] ?? {
                    order.append(chain)
                    let legacy = states[.legacy]!
                    return State(name: name(chain), prevHash: legacy.prevHash, lastSeq: legacy.lastSeq)
                }()
                func problem(_ seq: Int, _ reason: String) {
                    problems.append(.init(seq: seq, reason: reason, chain: chain))
                    state.problems += 1
                }
                if let chainSeq = entry.chainSeq {
                    chainedSince = chainedSince ?? entry.seq
                    let expected = state.position + 1
                    if chainSeq > expected {
                        let what = chainSeq == expected + 1 ? "its entry \(expected) is missing" : "its entries \(expected)–\(chainSeq - 1) are missing"
                        // Named at the latest entry they could have been (on SQLite, `seq` has no gaps: exactly there).
                        problem(Swift.max(state.lastSeq + 1, entry.seq - (chainSeq - expected)),
                                "\(state.name): \(what) (next found is entry \(entry.seq), its \(chainSeq))")
                    } else if chainSeq < expected {
                        problem(entry.seq, "entry \(entry.seq) claims place \(chainSeq) in the chain of \(state.name), which was at \(state.position) already (reordered or copied)")
                    } else if entry.prevHash != state.prevHash {
                        problem(entry.seq, "entry \(entry.seq) does not follow the previous entry's hash (\(state.name))")
                    }
                    state.position = max(state.position, chainSeq)
                } else if let since = chainedSince {
                    problem(entry.seq, "entry \(entry.seq) is not in any clinic's chain although per-clinic chains began at entry \(since) (added the old way, or its place removed)")
                } else {
                    let expected = state.position + 1
                    if entry.seq != expected {
                        let gap = entry.seq - expected
                        problem(expected, gap == 1
                            ? "entry \(expected) is missing (next found is \(entry.seq))"
                            : "entries \(expected)–\(entry.seq - 1) are missing (next found is \(entry.seq))")
                    } else if entry.prevHash != state.prevHash {
                        problem(entry.seq, "entry \(entry.seq) does not follow the previous entry's hash")
                    }
                    state.position = entry.seq
                }
                if AuditTrail.hash(of: entry) != entry.hash {
                    problem(entry.seq, "entry \(entry.seq) was altered: its content does not match its hash")
                }
                if let mac {
                    if result.firstKeyedSeq == 0 { result.firstKeyedSeq = entry.seq }
                    if let key {
                        if AuditKey.same(mac, key.entryMAC(seq: entry.seq, hash: entry.hash)) {
                            result.keyedEntries += 1
                        } else {
                            badMACs.append(entry.seq)
                            state.problems += 1
                        }
                    }
                } else if result.firstKeyedSeq != 0 || entry.seq >= mustBeKeyedFrom {
                    problem(entry.seq, "entry \(entry.seq) has no MAC although it comes after entries that have one (added or rewritten without the key)")
                } else {
                    result.preKeyEntries += 1
                }
                for (hash, checkpoint) in saw[entry.seq] ?? [] where hash != entry.hash {
                    problem(entry.seq, "entry \(entry.seq) is not the one the checkpoint of \(checkpoint.readableTime) saw (the chain was rewritten up to here)")
                }
                state.prevHash = entry.hash
                state.lastSeq = entry.seq
                state.entries += 1
                states[chain] = state
                walked.append(entry.seq)
                (lastSeq, lastHash) = (entry.seq, entry.hash)
                count += 1
            }
            progress?(count)
            if rows.count < batch { break }
        }
        problems += macProblems(badMACs)
        if let newest {
            result.checkpoint = newest
            problems += truncation(seen: newest, lastSeq: lastSeq, count: count, states: states)
        }
        result.problems = problems.enumerated().sorted { ($0.element.seq, $0.offset) < ($1.element.seq, $1.offset) }.map(\.element)
        // As before: the entries that verify before the first problem (all of them when intact).
        if let first = result.problems.first {
            result.entries = walked.partitioningIndex { $0 >= first.seq }
        } else {
            result.entries = count
        }
        result.found = count
        result.headHash = lastHash
        result.headSeq = lastSeq
        result.chains = order.compactMap { chain in
            guard let state = states[chain], state.entries > 0 else { return nil }
            return .init(chain: chain, name: state.name, entries: state.entries, headPosition: chain == .legacy ? state.lastSeq : state.position,
                         headSeq: state.lastSeq, headHash: state.prevHash, problems: state.problems)
        }
        return result
    }

    /// MACs that do not match, as ranges of consecutive entries.
    static func macProblems(_ badMACs: [Int]) -> [Verification.Problem] {
        var problems: [Verification.Problem] = []
        var index = 0
        while index < badMACs.count {
            var end = index
            while end + 1 < badMACs.count, badMACs[end + 1] == badMACs[end] + 1 { end += 1 }
            let (first, last) = (badMACs[index], badMACs[end])
            problems.append(.init(seq: first, reason: first == last
                ? "entry \(first): its MAC does not match (forged or recomputed)"
                : "entries \(first)–\(last): their MACs do not match (forged or recomputed)"))
            index = end + 1
        }
        return problems
    }

    /// Entries the newest checkpoint saw that are gone: the trail's newest ones, or (v2) a chain's
    /// newest ones even when other chains wrote after them.
    static func truncation(seen newest: AuditCheckpoint, lastSeq: Int, count: Int, states: [AuditChain: State]) -> [Verification.Problem] {
        var problems: [Verification.Problem] = []
        if newest.seq > lastSeq {
            let first = lastSeq + 1
            let what = first == newest.seq ? "entry \(first) is missing" : "entries \(first)–\(newest.seq) are missing"
            problems.append(.init(seq: first, reason: "\(what): the checkpoint of \(newest.readableTime) saw the chain at \(newest.seq)"))
        } else if newest.chains == nil, count < newest.seq {
            // A v1 checkpoint saw one gapless chain.
            problems.append(.init(seq: newest.seq, reason: "only \(count) entries are left, but the checkpoint of \(newest.readableTime) saw \(newest.seq)"))
        }
        for head in newest.chains ?? [] where head.seq <= lastSeq {
            guard let chain = AuditChain(checkpointName: head.clinic) else { continue }
            let state = states[chain]
            let reached = state?.position ?? 0
            guard reached < head.position else { continue }
            let what = reached + 1 == head.position ? "its entry \(head.position) is missing" : "its entries \(reached + 1)–\(head.position) are missing"
            problems.append(.init(seq: (state?.lastSeq ?? 0) + 1,
                                  reason: "\(state?.name ?? head.clinic): \(what): the checkpoint of \(newest.readableTime) saw it at its entry \(head.position) (entry \(head.seq))",
                                  chain: chain))
        }
        return problems
    }
}

extension Array where Element == Int {
    /// The first index whose element satisfies `belongs` (the array is sorted so that all that do come last).
    func partitioningIndex(where belongs: (Int) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

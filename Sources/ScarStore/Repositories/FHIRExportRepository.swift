import Crypto
import Foundation
import SQLKit

/// What a Bulk Data `$export` kick-off asked for.
public struct FHIRExportRequest: Sendable, Equatable {
    public enum Level: String, Sendable { case system, patient, group }
    public var level: Level
    /// The study whose participants a Group-level export covers.
    public var groupId: UUID?
    /// `_type`: the resource types wanted; nil for every type served.
    public var types: [String]?
    /// `_since`: only resources changed after this instant.
    public var since: Date?
    /// The kick-off URL as the client sent it (the manifest repeats it).
    public var url: String
    /// `_typeFilter`: FHIR search queries (`Type?params`); a resource of a filtered type is
    /// exported when it matches one of its type's queries.
    public var typeFilters: [String]

    public init(level: Level, groupId: UUID? = nil, types: [String]? = nil, since: Date? = nil, url: String, typeFilters: [String] = []) {
        self.level = level
        self.groupId = groupId
        self.types = types
        self.since = since
        self.url = url
        self.typeFilters = typeFilters
    }
}

/// One export job as its status shows it.
public struct FHIRExportJob: Sendable {
    public enum Status: String, Sendable { case pending, running, complete, failed, cancelled }
    public var id: UUID
    public var clinicId: UUID
    public var requestedBy: UUID
    public var request: FHIRExportRequest
    public var status: Status
    public var attempts: Int
    public var patientsTotal: Int
    public var patientsDone: Int
    public var resourcesDone: Int
    public var transactionTime: Date?
    public var error: String?
    public var expiresAt: Date
}

/// One NDJSON file an export wrote (one resource type, one part of it).
public struct FHIRExportFile: Sendable, Equatable {
    public var id: UUID
    public var jobId: UUID
    public var resourceType: String
    public var part: Int
    public var resourceCount: Int
    public var byteCount: Int
    public var sha256: String
    /// How many stored chunks make up the file (read in order, `seq` 0, 1, …).
    public var chunks: Int
}

/// The jobs and files of FHIR Bulk Data exports. A job is claimed under a lease measured by the
/// database's clock (`DatabaseClock`), so whichever app server claims it, a lease that ran out
/// (the server died) is seen as such by every other server, and only the claimer may store
/// files, renew the lease or finish it. Files live in the database (not on one server's disk),
/// so any server serves them, each stored as chunks of whole lines as the export writes it
/// (`fhir_export_chunks`), so neither writing nor serving a file holds it whole in memory.
public struct FHIRExportRepository: Sendable {
    let db: ScarDatabase
    public init(_ db: ScarDatabase) { self.db = db }

    static let columns = """
        id, clinic_id, requested_by, request_url, level, group_id, types, since, status, attempts, patients_total, patients_done,
        resources_done, transaction_time, error, expires_at, type_filters
        """

    static func decode(_ row: any SQLRow) throws -> FHIRExportJob {
        let types = try row.decode(column: "types", as: String?.self).map { $0.split(separator: ",").map(String.init) }
        let request = FHIRExportRequest(level: FHIRExportRequest.Level(rawValue: try row.decode(column: "level", as: String.self)) ?? .system,
                                        groupId: try row.decode(column: "group_id", as: UUID?.self), types: types,
                                        since: try row.decode(column: "since", as: Date?.self), url: try row.decode(column: "request_url", as: String.self),
                                        typeFilters: (try row.decode(column: "type_filters", as: String?.self) ?? "").split(separator: "\n").map(String.init))
        return FHIRExportJob(id: try row.decode(column: "id", as: UUID.self), clinicId: try row.decode(column: "clinic_id", as: UUID.self),
                             requestedBy: try row.decode(column: "requested_by", as: UUID.self), request: request,
                             status: FHIRExportJob.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
                             attempts: try row.decode(column: "attempts", as: Int.self),
                             patientsTotal: try row.decode(column: "patients_total", as: Int.self),
                             patientsDone: try row.decode(column: "patients_done", as: Int.self),
                             resourcesDone: try row.decode(column: "resources_done", as: Int.self),
                             transactionTime: try row.decode(column: "transaction_time", as: Date?.self),
                             error: try row.decode(column: "error", as: String?.self), expiresAt: try row.decode(column: "expires_at", as: Date.self))
    }

    static func decodeFile(_ row: any SQLRow) throws -> FHIRExportFile {
        FHIRExportFile(id: try row.decode(column: "id", as: UUID.self), jobId: try row.decode(column: "job_id", as: UUID.self),
                       resourceType: try row.decode(column: "resource_type", as: String.self), part: try row.decode(column: "part", as: Int.self),
                       resourceCount: try row.decode(column: "resource_count", as: Int.self), byteCount: try row.decode(column: "byte_count", as: Int.self),
                       sha256: try row.decode(column: "sha256", as: String.self), chunks: try row.decode(column: "chunks", as: Int.self))
    }

    // MARK: Inside a use case's transaction (kick-off, cancel, download)

    static func insert(_ r: FHIRExportRequest, id: UUID, clinicId: UUID, requestedBy: UUID, keepSeconds: Int, engine: Engine,
                       on sql: any SQLDatabase) async throws {
        let now = SQLQueryString(stringLiteral: DatabaseClock.now(engine))
        let expires = SQLQueryString(stringLiteral: DatabaseClock.now(plus: keepSeconds, engine))
        try await sql.raw("""
            INSERT INTO fhir_export_jobs (id, clinic_id, requested_by, request_url, level, group_id, types, since, status, created_at, expires_at,
                                          type_filters)
            VALUES (\(bind: id), \(bind: clinicId), \(bind: requestedBy), \(bind: r.url), \(bind: r.level.rawValue), \(bind: r.groupId),
                    \(bind: r.types?.joined(separator: ",")), \(bind: r.since), 'pending', \(now), \(expires),
                    \(bind: r.typeFilters.isEmpty ? nil : r.typeFilters.joined(separator: "\n")))
            """).run()
    }

    /// A job of this clinic that has not expired; nil otherwise (another clinic's is unknown).
    static func load(id: UUID, clinicId: UUID, engine: Engine, on sql: any SQLDatabase) async throws -> FHIRExportJob? {
        try await sql.raw("""
            SELECT \(unsafeRaw: columns) FROM fhir_export_jobs
            WHERE id = \(bind: id) AND clinic_id = \(bind: clinicId) AND expires_at > \(unsafeRaw: DatabaseClock.now(engine))
            """).first().map(decode)
    }

    /// Stops the job (a running export notices at its next lease renewal) and deletes its files.
    static func cancel(id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE fhir_export_jobs SET status = 'cancelled', lease_until = NULL, claimed_by = NULL WHERE id = \(bind: id)").run()
        try await deleteFiles(jobId: id, on: sql)
    }

    static func deleteFiles(jobId: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM fhir_export_chunks WHERE job_id = \(bind: jobId)").run()
        try await sql.raw("DELETE FROM fhir_export_files WHERE job_id = \(bind: jobId)").run()
    }

    static let fileColumns = "id, job_id, resource_type, part, resource_count, byte_count, sha256, chunks"

    /// A file of a complete job of this clinic (its content is read chunk by chunk: `chunk`); nil otherwise.
    static func file(id: UUID, clinicId: UUID, engine: Engine, on sql: any SQLDatabase) async throws -> FHIRExportFile? {
        try await sql.raw("""
            SELECT f.id, f.job_id, f.resource_type, f.part, f.resource_count, f.byte_count, f.sha256, f.chunks
            FROM fhir_export_files f JOIN fhir_export_jobs j ON j.id = f.job_id
            WHERE f.id = \(bind: id) AND f.clinic_id = \(bind: clinicId) AND j.clinic_id = \(bind: clinicId) AND j.status = 'complete'
              AND j.expires_at > \(unsafeRaw: DatabaseClock.now(engine))
            """).first().map(decodeFile)
    }

    /// The `seq`th chunk of a file already found by `file` (read in its own statement, so serving
    /// a file holds one chunk at a time); nil when it is gone (the export expired or was cancelled since).
    public func chunk(fileId: UUID, seq: Int) async throws -> [UInt8]? {
        try await db.read { sql in
            try await sql.raw("SELECT content FROM fhir_export_chunks WHERE file_id = \(bind: fileId) AND seq = \(bind: seq)").first()
                .map { [UInt8](try $0.decode(column: "content", as: Data.self)) }
        }
    }

    // MARK: Status

    public enum Poll: Sendable {
        case unknown
        /// Polled again sooner than the interval allows (still running).
        case tooSoon(FHIRExportJob)
        case job(FHIRExportJob, files: [FHIRExportFile])
    }

    /// The job's status for a poll. While it runs, a poll sooner than `interval` seconds after
    /// the last one is `tooSoon` (the interval measured by the database's clock).
    public func poll(id: UUID, clinicId: UUID, interval: Int) async throws -> Poll {
        let engine = db.engine
        return try await db.write { sql in
            guard let job = try await Self.load(id: id, clinicId: clinicId, engine: engine, on: sql), job.status != .cancelled else { return .unknown }
            if job.status == .pending || job.status == .running {
                let now = DatabaseClock.now(engine)
                let taken = try await sql.raw("""
                    UPDATE fhir_export_jobs SET polled_at = \(unsafeRaw: now)
                    WHERE id = \(bind: id) AND (polled_at IS NULL OR polled_at <= \(unsafeRaw: DatabaseClock.now(plus: -interval, engine))) RETURNING id
                    """).first()
                return taken == nil ? .tooSoon(job) : .job(job, files: [])
            }
            let files = try await sql.raw("""
                SELECT \(unsafeRaw: Self.fileColumns) FROM fhir_export_files
                WHERE job_id = \(bind: id) ORDER BY resource_type, part
                """).all().map(Self.decodeFile)
            return .job(job, files: files)
        }
    }

    // MARK: Running a job

    /// Claims the oldest job that is waiting, or whose lease ran out, for `worker` until the
    /// database's now + `lease` seconds. Files a lost run left behind are deleted: it restarts.
    public func claim(worker: String, lease: Int) async throws -> FHIRExportJob? {
        let engine = db.engine
        return try await db.write { sql in
            let now = DatabaseClock.now(engine)
            let claimable = "(status = 'pending' OR (status = 'running' AND lease_until < \(now))) AND expires_at > \(now)"
            let lock = engine == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
            guard let id = try await sql.raw("""
                SELECT id FROM fhir_export_jobs WHERE \(unsafeRaw: claimable) ORDER BY created_at, id LIMIT 1 \(unsafeRaw: lock)
                """).first()?.decode(column: "id", as: UUID.self) else { return nil }
            guard let row = try await sql.raw("""
                UPDATE fhir_export_jobs SET status = 'running', claimed_by = \(bind: worker), lease_until = \(unsafeRaw: DatabaseClock.now(plus: lease, engine)),
                    attempts = attempts + 1, patients_done = 0, resources_done = 0
                WHERE id = \(bind: id) AND \(unsafeRaw: claimable) RETURNING \(unsafeRaw: Self.columns)
                """).first() else { return nil }
            try await Self.deleteFiles(jobId: id, on: sql)
            return try Self.decode(row)
        }
    }

    /// Renews the lease (and records `progress`); false when the job is no longer this worker's
    /// (cancelled, or the lease ran out and another server took it): the run must stop.
    static func renew(id: UUID, worker: String, lease: Int, engine: Engine, on sql: any SQLDatabase, progress: SQLQueryString = "") async throws -> Bool {
        try await sql.raw("""
            UPDATE fhir_export_jobs SET lease_until = \(unsafeRaw: DatabaseClock.now(plus: lease, engine)) \(progress)
            WHERE id = \(bind: id) AND status = 'running' AND claimed_by = \(bind: worker) RETURNING id
            """).first() != nil
    }

    /// What a run has done so far (the status shows it), recorded with a lease renewal.
    public struct Progress: Sendable {
        public var patientsTotal: Int
        public var patientsDone: Int
        public var resourcesDone: Int
        public init(patientsTotal: Int, patientsDone: Int, resourcesDone: Int) {
            (self.patientsTotal, self.patientsDone, self.resourcesDone) = (patientsTotal, patientsDone, resourcesDone)
        }
    }

    /// The end of a run: the job is complete as of `transactionTime` (`finish`).
    public struct Completion: Sendable {
        public var transactionTime: Date
        public var resources: Int
        public var keepSeconds: Int
        public init(transactionTime: Date, resources: Int, keepSeconds: Int) {
            (self.transactionTime, self.resources, self.keepSeconds) = (transactionTime, resources, keepSeconds)
        }
    }

    /// Stores chunks of the job's files, and the row of each file they complete, in one
    /// transaction, if the job is still this worker's (false otherwise: the run must stop). The
    /// same transaction renews the lease, records `progress`, and with `completion` completes the
    /// job, so a run commits (and waits for an fsync) once per few chunks, not once more per page.
    public func store(_ pieces: [FHIRExportPiece], jobId: UUID, clinicId: UUID, worker: String, lease: Int,
                      progress: Progress? = nil, completion: Completion? = nil) async throws -> Bool {
        let engine = db.engine
        return try await db.write { sql in
            let recorded: SQLQueryString = progress.map {
                ", patients_total = \(bind: $0.patientsTotal), patients_done = \(bind: $0.patientsDone), resources_done = \(bind: $0.resourcesDone)"
            } ?? ""
            guard try await Self.renew(id: jobId, worker: worker, lease: lease, engine: engine, on: sql, progress: recorded) else { return false }
            for piece in pieces {
                if !piece.bytes.isEmpty {
                    try await sql.raw("""
                        INSERT INTO fhir_export_chunks (file_id, seq, job_id, content)
                        VALUES (\(bind: piece.fileId), \(bind: piece.seq), \(bind: jobId), \(bind: Data(piece.bytes)))
                        """).run()
                }
                guard let f = piece.completes else { continue }
                try await sql.raw("""
                    INSERT INTO fhir_export_files (id, job_id, clinic_id, resource_type, part, resource_count, byte_count, sha256, chunks, created_at)
                    VALUES (\(bind: f.id), \(bind: jobId), \(bind: clinicId), \(bind: f.resourceType), \(bind: f.part), \(bind: f.resourceCount),
                            \(bind: f.byteCount), \(bind: f.sha256), \(bind: f.chunks), \(unsafeRaw: DatabaseClock.now(engine)))
                    """).run()
            }
            guard let completion else { return true }
            return try await Self.finish(id: jobId, worker: worker, completion, engine: engine, on: sql)
        }
    }

    /// Marks the job complete as of its transaction time; it (and its files) expire `keepSeconds` from now.
    static func finish(id: UUID, worker: String, _ c: Completion, engine: Engine, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            UPDATE fhir_export_jobs SET status = 'complete', transaction_time = \(bind: c.transactionTime), lease_until = NULL,
                resources_done = \(bind: c.resources), patients_done = patients_total,
                completed_at = \(unsafeRaw: DatabaseClock.now(engine)), expires_at = \(unsafeRaw: DatabaseClock.now(plus: c.keepSeconds, engine))
            WHERE id = \(bind: id) AND status = 'running' AND claimed_by = \(bind: worker) RETURNING id
            """).first() != nil
    }

    public func fail(id: UUID, worker: String, error: String) async throws {
        try await db.write { sql in
            try await sql.raw("""
                UPDATE fhir_export_jobs SET status = 'failed', error = \(bind: String(error.prefix(500))), lease_until = NULL
                WHERE id = \(bind: id) AND status = 'running' AND claimed_by = \(bind: worker)
                """).run()
            try await Self.deleteFiles(jobId: id, on: sql)
        }
    }

    /// Deletes jobs past their expiry with their files; returns how many.
    @discardableResult
    public func removeExpired() async throws -> Int {
        let engine = db.engine
        return try await db.write { sql in
            let expired = try await sql.raw("""
                SELECT id FROM fhir_export_jobs WHERE expires_at <= \(unsafeRaw: DatabaseClock.now(engine))
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            for id in expired {
                try await Self.deleteFiles(jobId: id, on: sql)
                try await sql.raw("DELETE FROM fhir_export_jobs WHERE id = \(bind: id)").run()
            }
            return expired.count
        }
    }
}

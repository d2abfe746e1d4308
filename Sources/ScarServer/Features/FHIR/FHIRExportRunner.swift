import Foundation
import Logging
import ScarFHIR
import ScarStore

/// Runs FHIR Bulk Data export jobs. Any app server may: a job is claimed under a lease kept by
/// the database's clock and renewed by every store of chunks, and at the end of a page of
/// patients that stored none; a server that dies leaves a lease that runs out, and the next
/// runner (on any server) claims the job and starts it again.
///
/// One run reads everything inside one `ScarDatabase.snapshot` (one consistent moment, whose
/// time is the manifest's `transactionTime`): the clinic's directory (the Organization,
/// Practitioners, Locations, Devices and cartridge lots every patient resource refers to, so
/// the set is referentially closed), then the patients page by page. Resources go through
/// `FHIRNDJSONWriter` (one file per type, split at `partBytes`) straight into bytes, and the
/// chunks of `chunkBytes` are stored in the database as soon as `chunksPerCommit` have filled,
/// in the background (one store at a time) while the next ones are written; the last store also
/// completes the job. Memory holds two pages of charts, twice `chunksPerCommit` chunks and one
/// unfinished chunk per type, however large the clinic.
struct FHIRExportRunner: Sendable {
    let database: ScarDatabase
    let jobs: FHIRExportRepository
    let mapping: FHIRMapping
    let settings: FHIRExportSettings
    let logger: Logger
    /// This runner's name in the job row (`claimed_by`).
    let worker: String
    /// Memory holds one page of charts: 100 patients keeps it small while costing about a dozen statements per page.
    static let patientsPerPage = 100

    /// Patients in the `index`th page (from 0): 10, 20, 40, 80, then `patientsPerPage`. Nothing
    /// can be mapped until the first page is read, so it is small and mapping starts at once; a
    /// page is read in less time than the one before it takes to map (reading ran about 1.7×
    /// faster than mapping, issue 15), so the mapping task does not wait after that either.
    static func pageSize(_ index: Int) -> Int {
        min(patientsPerPage, 10 << min(index, 4))
    }
    /// Chunks stored per commit: each commit waits for its fsync, so a few megabytes go together.
    static let chunksPerCommit = 8

    init(database: ScarDatabase, codes: FHIRCodes, settings: FHIRExportSettings, logger: Logger) {
        self.database = database
        self.jobs = FHIRExportRepository(database)
        self.mapping = FHIRMapping(codes: codes)
        self.settings = settings
        self.logger = logger
        self.worker = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    }

    /// The run lost its job (cancelled, or its lease ran out and another runner took it).
    struct LostJob: Error {}

    /// Claims and runs jobs until none is waiting, then deletes expired ones.
    func runAvailable() async {
        do {
            while let job = try await jobs.claim(worker: worker, lease: settings.leaseSeconds) {
                await runReportingFailure(job)
            }
            try await jobs.removeExpired()
        } catch {
            logger.warning("FHIR export pass failed", metadata: ["error": .string(String(describing: error))])
        }
    }

    func runReportingFailure(_ job: FHIRExportJob) async {
        do {
            try await run(job)
        } catch is LostJob {
            logger.info("FHIR export stopped: cancelled or taken over", metadata: ["job": .string(job.id.lower)])
        } catch {
            logger.error("FHIR export failed", metadata: ["job": .string(job.id.lower), "error": .string(String(describing: error))])
            try? await jobs.fail(id: job.id, worker: worker, error: "The export could not be completed; start a new one.")
        }
    }

    func run(_ job: FHIRExportJob) async throws {
        try await database.snapshot { sql in
            let transactionTime = try await DatabaseClock.read(on: sql, database.engine)
            var writer = FHIRNDJSONWriter(maxBytes: settings.partBytes, chunkBytes: settings.chunkBytes)
            var files = FHIRExportOpenFiles()
            // Chunks ready are stored together once they add up to `chunksPerCommit` chunks (one commit, not one per chunk).
            var ready: [FHIRNDJSONChunk] = []
            var readyBytes = 0
            let wanted = Filter(request: job.request)
            // A study's allocation only when whoever asked for the export may see it.
            var mapping = self.mapping
            mapping.showsAllocation = AccessPolicy.clinicians.allows(try await FHIRReadRepository.role(of: job.requestedBy, on: sql))
            for resource in mapping.resources(of: try await FHIRReadRepository.exportDirectory(clinicId: job.clinicId, on: sql)) where wanted(resource) {
                writer.add(resource)
            }
            let patients = try await FHIRReadRepository.exportPatientCount(clinicId: job.clinicId, groupId: job.request.groupId, on: sql)
            var done = 0
            // The next page is read (on the snapshot's connection, which nothing else uses meanwhile)
            // while this one is mapped and written, so reading and writing share the two cores.
            let page = { @Sendable (after: UUID?, index: Int) in
                Task { try await FHIRReadRepository.exportCharts(clinicId: job.clinicId, groupId: job.request.groupId, after: after,
                                                                 limit: Self.pageSize(index), on: sql) }
            }
            var pages = 1
            var next = page(nil, 0)
            // One store in flight at most: its commit (on the writer) runs while the next chunks are
            // mapped and written, so memory holds the chunks being stored and those filling.
            // The store also hashes its chunks into their files' SHA-256 (`files`, handed from one store to the next).
            var storing: Task<FHIRExportOpenFiles, any Error>?
            var stored = 0
            func store(_ chunks: [FHIRNDJSONChunk], progress: FHIRExportRepository.Progress? = nil,
                       completion: FHIRExportRepository.Completion? = nil) async throws {
                if let previous = storing { files = try await previous.value }
                storing = Task { [jobs, worker, settings, files] in
                    var files = files
                    let pieces = chunks.map { files.piece(type: $0.type, part: $0.part, count: $0.count, bytes: $0.bytes, endsFile: $0.endsFile, jobId: job.id) }
                    guard try await jobs.store(pieces, jobId: job.id, clinicId: job.clinicId, worker: worker, lease: settings.leaseSeconds,
                                               progress: progress, completion: completion) else { throw LostJob() }
                    return files
                }
                stored += 1
            }
            func progress() -> FHIRExportRepository.Progress {
                .init(patientsTotal: patients, patientsDone: done, resourcesDone: writer.total)
            }
            do {
                while true {
                    let charts = try await next.value
                    guard let last = charts.last else { break }
                    next = page(last.patient.id, pages)
                    pages += 1
                    let storedBefore = stored
                    for chart in charts {
                        for resource in mapping.resources(of: chart) where wanted(resource) { writer.add(resource) }
                        for chunk in writer.takeReady() {
                            ready.append(chunk)
                            readyBytes += chunk.bytes.count
                        }
                        if readyBytes >= Self.chunksPerCommit * settings.chunkBytes {
                            try await store(ready, progress: progress())
                            (ready, readyBytes) = ([], 0)
                        }
                    }
                    done += charts.count
                    // The lease is renewed (and progress recorded) by every store; a page that stored nothing renews it on its own.
                    if stored == storedBefore { try await store([], progress: progress()) }
                }
                // The last chunks and the job's completion commit together.
                let last = ready + writer.finish()
                try await store(last, completion: .init(transactionTime: transactionTime, resources: writer.total, keepSeconds: settings.keepSeconds))
                _ = try await storing?.value
            } catch {
                // The snapshot ends when this closure returns: not while a page is still being read on it, nor a store running.
                _ = try? await next.value
                _ = try? await storing?.value
                throw error
            }
        }
    }

    /// `_type`, `_since` and `_typeFilter` as one test on a resource.
    struct Filter: Sendable {
        let types: Set<String>?
        /// `meta.lastUpdated` is an instant in one fixed UTC form, so it compares as text.
        let since: String?
        /// Per type, the queries one of which a resource of it must match (checked at kick-off).
        let typeFilters: [String: [FHIRSearchQuery]]

        init(request: FHIRExportRequest) {
            types = request.types.map(Set.init)
            since = request.since.map(FHIRTime.instant)
            typeFilters = Dictionary(grouping: request.typeFilters.compactMap { try? FHIRTypeFilter($0) }, by: \.type.rawValue).mapValues { $0.map(\.query) }
        }

        func callAsFunction(_ r: FHIRResource) -> Bool {
            if let types, !types.contains(r.resourceType) { return false }
            if let since, r.meta.lastUpdated <= since { return false }
            if let queries = typeFilters[r.resourceType], !queries.contains(where: { $0.matches(r) }) { return false }
            return true
        }
    }
}

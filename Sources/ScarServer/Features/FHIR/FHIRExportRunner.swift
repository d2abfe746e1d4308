import Foundation
import Logging
import ScarFHIR
import ScarStore

/// Runs FHIR Bulk Data export jobs. Any app server may: a job is claimed under a lease kept by
/// the database's clock and renewed after every page of patients; a server that dies leaves a
/// lease that runs out, and the next runner (on any server) claims the job and starts it again.
///
/// One run reads everything inside one `ScarDatabase.snapshot` (one consistent moment, whose
/// time is the manifest's `transactionTime`): the clinic's directory (the Organization,
/// Practitioners, Locations, Devices and cartridge lots every patient resource refers to, so
/// the set is referentially closed), then the patients page by page. Resources go through
/// `FHIRNDJSONWriter` (one file per type, split at `partBytes`) straight into bytes, and the
/// chunks of `chunkBytes` are stored in the database as soon as four have filled, so memory holds
/// one page of charts, four chunks and one unfinished chunk per type, however large the clinic.
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
        let (transactionTime, total) = try await database.snapshot { sql in
            let transactionTime = try await DatabaseClock.read(on: sql, database.engine)
            var writer = FHIRNDJSONWriter(maxBytes: settings.partBytes, chunkBytes: settings.chunkBytes)
            var files = FHIRExportOpenFiles()
            // Chunks ready are stored together once they add up to a few chunks (one commit, not one per chunk).
            var ready: [FHIRNDJSONChunk] = []
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
            let page = { @Sendable (after: UUID?) in
                Task { try await FHIRReadRepository.exportCharts(clinicId: job.clinicId, groupId: job.request.groupId, after: after,
                                                                 limit: Self.patientsPerPage, on: sql) }
            }
            var next = page(nil)
            do {
                while true {
                    let charts = try await next.value
                    guard let last = charts.last else { break }
                    next = page(last.patient.id)
                    for chart in charts {
                        for resource in mapping.resources(of: chart) where wanted(resource) { writer.add(resource) }
                        ready += writer.takeReady()
                        if ready.reduce(0, { $0 + $1.bytes.count }) >= 4 * settings.chunkBytes {
                            try await store(ready, into: &files, job: job)
                            ready = []
                        }
                    }
                    done += charts.count
                    guard try await jobs.renew(id: job.id, worker: worker, lease: settings.leaseSeconds, patientsTotal: patients,
                                               patientsDone: done, resourcesDone: writer.total) else { throw LostJob() }
                }
            } catch {
                // The snapshot ends when this closure returns: not while a page is still being read on it.
                _ = try? await next.value
                throw error
            }
            try await store(ready + writer.finish(), into: &files, job: job)
            return (transactionTime, writer.total)
        }
        guard try await jobs.finish(id: job.id, worker: worker, transactionTime: transactionTime, resources: total,
                                    keepSeconds: settings.keepSeconds) else { throw LostJob() }
    }

    /// Stores the chunks ready (and the rows of the files they complete) in one transaction.
    func store(_ chunks: [FHIRNDJSONChunk], into files: inout FHIRExportOpenFiles, job: FHIRExportJob) async throws {
        guard !chunks.isEmpty else { return }
        let pieces = chunks.map { files.piece(type: $0.type, part: $0.part, count: $0.count, bytes: $0.bytes, endsFile: $0.endsFile, jobId: job.id) }
        guard try await jobs.store(pieces, jobId: job.id, clinicId: job.clinicId, worker: worker, lease: settings.leaseSeconds) else { throw LostJob() }
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

import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarFHIR
import ScarStore

/// `/fhir`: the FHIR R4 read API. Metadata, read and search for every served type, and
/// `Patient/{id}/$everything`. The same bearer tokens and role policies as `/api/v1`; another
/// clinic's ids are unknown ids; every read of patient data is audited (`fhir.read`, `fhir.search`).
struct FHIRController {
    let reads: FHIRReadRepository
    let mapping: FHIRMapping

    init(_ services: AppServices, showsAllocation: Bool = true) {
        reads = FHIRReadRepository(services.database)
        mapping = FHIRMapping(codes: FHIRCodes(base: services.configuration.fhirCanonicalBase), showsAllocation: showsAllocation)
    }

    static func add(to routes: Routes, services: AppServices) {
        // Routes added after this line (and unknown paths) get it; it only acts under /fhir.
        routes.router.add(middleware: FHIROutcomeMiddleware())
        // A study's allocation (arms, assigned arm) only for roles that are not blinded.
        let unblinded = Self(services), blinded = Self(services, showsAllocation: false)
        let c: @Sendable (AppContext) -> Self = { context in AccessPolicy.clinicians.allows(context.signedInUser.role) ? unblinded : blinded }
        routes.api(.get, "/fhir/metadata", .allStaff, "FHIR CapabilityStatement: exactly what this server supports", unblinded.metadata)
        for type in FHIRType.allCases {
            routes.api(.get, "/fhir/\(type.rawValue)/:id", .clinicalStaff, "Read one FHIR \(type.rawValue)") { try await c($1).read(type, $0, $1) }
            routes.api(.get, "/fhir/\(type.rawValue)", .clinicalStaff, "Search FHIR \(type.rawValue) resources") { try await c($1).search(type, $0, $1) }
        }
        routes.api(.get, "/fhir/Patient/:id/$everything", .clinicalStaff, "Everything of one patient as a FHIR searchset Bundle") { try await c($1).everything($0, $1) }
        FHIRGroupController.add(to: routes, services: services)
    }

    @Sendable func metadata(_ request: Request, _ context: AppContext) async throws -> Response {
        try FHIRResponse.body(FHIRCapability.statement(base: FHIRLinks.serverBase(request)))
    }

    /// `GET /fhir/{type}/{id}`: one resource with `meta.versionId` and a weak ETag; 404 for an id
    /// that is unknown here, whichever clinic it belongs to.
    func read(_ type: FHIRType, _ request: Request, _ context: AppContext) async throws -> Response {
        let id = (context.parameters.get("id") ?? "").lowercased()
        let found = try await resources(type, id: id, context: context)
        guard let resource = found.first(where: { $0.resourceType == type.rawValue && $0.id == id }) else { throw AppError.notFound }
        return try FHIRResponse.resource(resource)
    }

    /// The resources among which `type/id` is found: the clinic's directory, or the chart of the
    /// patient the record belongs to (read and audited as one `fhir.read`).
    func resources(_ type: FHIRType, id: String, context: AppContext) async throws -> [FHIRResource] {
        let clinicId = context.clinician.user.clinicId
        if type.isClinicLevel { return mapping.resources(of: try await reads.directory(clinicId: clinicId)) }
        let patientId: UUID
        if type == .Patient || type == .Condition {
            guard let id = UUID(uuidString: id) else { throw AppError.notFound }
            patientId = id
        } else {
            guard let record = type.recordKind(id: id),
                  let owner = try await reads.owner(of: record.0, id: record.1, clinicId: clinicId) else { throw AppError.notFound }
            patientId = owner
        }
        let chart = try await reads.chart(patientId: patientId, clinicId: clinicId, by: context.auditActor, action: "fhir.read",
                                          details: ["resource": "\(type.rawValue)/\(id)"])
        return mapping.resources(of: chart)
    }

    /// `GET /fhir/{type}?…`: a searchset Bundle, paged by an opaque cursor.
    func search(_ type: FHIRType, _ request: Request, _ context: AppContext) async throws -> Response {
        let query = try FHIRSearchQuery(type: type, request.uri.queryParameters)
        let clinicId = context.clinician.user.clinicId
        let links = FHIRLinks(base: FHIRLinks.serverBase(request), type: type, query: query)
        if type == .Patient { return try await searchPatients(query, links: links, context: context) }
        let candidates: [FHIRResource]
        if type.isClinicLevel {
            candidates = mapping.resources(of: try await reads.directory(clinicId: clinicId))
        } else {
            guard let patientId = query.patient else {
                throw AppError.badRequest("Searching \(type.rawValue) needs patient=Patient/{id}: this server searches one patient's records at a time.",
                                          field: "patient")
            }
            do {
                candidates = mapping.resources(of: try await reads.chart(patientId: patientId, clinicId: clinicId, by: context.auditActor,
                                                                         action: "fhir.search", details: ["type": type.rawValue]))
            } catch StoreError.notFound {
                // An unknown patient, or another clinic's: nothing matches, exactly alike.
                candidates = []
            }
        }
        let matching = candidates.filter { $0.resourceType == type.rawValue && query.matches($0) }
        let page = Array(query.sort.page(matching, after: query.cursor).prefix(query.count + 1))
        let shown = Array(page.prefix(query.count))
        let included = try await includes(of: shown, among: candidates, query: query, context: context)
        return try FHIRResponse.body(links.bundle(shown, included: included, total: matching.count, more: page.count > query.count))
    }

    /// `_include` and `_revinclude` of the shown matches, without what the caller's role may not see.
    func includes(of shown: [FHIRResource], among candidates: [FHIRResource], query: FHIRSearchQuery, context: AppContext) async throws -> [FHIRResource] {
        let clinicId = context.clinician.user.clinicId
        var included = query.includeReferenced ? try await referenced(by: shown, among: candidates, clinicId: clinicId, iterate: query.includeIterate) : []
        let held = Set(included.map { "\($0.resourceType)/\($0.id)" })
        included += query.revIncluded(by: shown, among: candidates).filter { !held.contains("\($0.resourceType)/\($0.id)") }
        return included.filter { FHIRType.visible($0, to: context.clinician.user.role) }
    }

    /// What `shown` references, from the candidates searched and the clinic's directory.
    func referenced(by shown: [FHIRResource], among candidates: [FHIRResource], clinicId: UUID, iterate: Bool) async throws -> [FHIRResource] {
        FHIRReferences.closure(of: shown, among: candidates + mapping.resources(of: try await reads.directory(clinicId: clinicId)), iterate: iterate)
    }

    func searchPatients(_ query: FHIRSearchQuery, links: FHIRLinks, context: AppContext) async throws -> Response {
        let after = query.cursor.flatMap { UUID(uuidString: $0.id) }
        let found = try await reads.searchPatients(query.patientFilter, clinicId: context.clinician.user.clinicId, after: after,
                                                   limit: query.count + 1, order: query.sort.patientOrder, charts: !query.revIncludes.isEmpty,
                                                   by: context.auditActor)
        let page = found.patients.prefix(query.count).map { FHIRResource.patient(mapping.patient($0)) }
        let included = try await includes(of: Array(page), among: found.charts.flatMap { mapping.resources(of: $0) }, query: query, context: context)
        return try FHIRResponse.body(links.bundle(Array(page), included: included, total: found.total, more: found.patients.count > query.count))
    }

    /// `GET /fhir/Patient/{id}/$everything`: the patient's compartment and what it references
    /// (clinic, practitioners, rooms, devices, lots) in one Bundle; bounded by one patient.
    @Sendable func everything(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let patientId = UUID(uuidString: context.parameters.get("id") ?? "") else { throw AppError.notFound }
        let clinicId = context.clinician.user.clinicId
        let chart = try await reads.chart(patientId: patientId, clinicId: clinicId, by: context.auditActor, action: "fhir.everything", details: [:])
        let own = mapping.resources(of: chart)
        let referenced = FHIRReferences.closure(of: own, among: mapping.resources(of: try await reads.directory(clinicId: clinicId)), iterate: true)
        let links = FHIRLinks(base: FHIRLinks.serverBase(request), type: .Patient, query: nil, everythingOf: patientId)
        return try FHIRResponse.body(links.bundle(own, included: referenced, total: own.count + referenced.count, more: false))
    }
}

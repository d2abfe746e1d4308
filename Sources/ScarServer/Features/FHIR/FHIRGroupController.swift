import Foundation
import HTTPTypes
import Hummingbird
import ScarFHIR
import ScarStore

/// `/fhir/Group`: the Groups Group-level `$export` takes, a split-face study's participants
/// (id = the study id), members as Patient references only (no arm, side or code). Identified
/// patient data: clinical staff only, like every `/fhir` read; audited (`fhir.read`, `fhir.search`).
struct FHIRGroupController {
    let reads: FHIRReadRepository
    let mapping: FHIRMapping

    static let searchParameters = ["_count", "_cursor"]

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(reads: FHIRReadRepository(services.database),
                     mapping: FHIRMapping(codes: FHIRCodes(base: services.configuration.fhirCanonicalBase)))
        routes.api(.get, "/fhir/Group/:id", .clinicalStaff, "Read one FHIR Group: a split-face study's participants", c.read)
        routes.api(.get, "/fhir/Group", .clinicalStaff, "Search FHIR Groups: the clinic's split-face study cohorts", c.search)
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw AppError.notFound }
        let clinicId = context.clinician.user.clinicId
        let found: [FHIRStudyGroup]
        do {
            found = try await reads.groups(clinicId: clinicId, id: id, by: context.auditActor, action: "fhir.read")
        } catch StoreError.notFound {
            throw AppError.notFound
        }
        guard let g = found.first else { throw AppError.notFound }
        let group = mapping.group(g.study, participants: g.participants, clinicId: clinicId)
        var headers = HTTPFields()
        headers[.eTag] = "W/\"\(group.meta.versionId)\""
        return try FHIRResponse.body(group, headers: headers)
    }

    /// Every study of the clinic, by id, paged by the same opaque cursor as every search.
    @Sendable func search(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.uri.queryParameters
        var count = FHIRSearchQuery.defaultCount
        if let raw = q.get("_count") {
            guard let n = Int(raw), (1...FHIRSearchQuery.maxCount).contains(n) else {
                throw AppError.badRequest("must be 1 to \(FHIRSearchQuery.maxCount)", field: "_count")
            }
            count = n
        }
        let cursor = try q.get("_cursor").map { raw in
            guard let c = FHIRCursor.decode(raw, type: .Patient), c.sort == .byId else { throw AppError.badRequest("is not a cursor this server gave out", field: "_cursor") }
            return c.id
        }
        let clinicId = context.clinician.user.clinicId
        let all = try await reads.groups(clinicId: clinicId, by: context.auditActor, action: "fhir.search")
            .map { mapping.group($0.study, participants: $0.participants, clinicId: clinicId) }
        let page = Array(all.filter { cursor == nil || $0.id > cursor! }.prefix(count + 1))
        let shown = Array(page.prefix(count))
        let base = FHIRLinks.serverBase(request)
        func url(_ after: String?) -> String {
            "\(base)/fhir/Group?_count=\(count)" + (after.map { "&_cursor=" + FHIRCursor(sort: .byId, value: $0, id: $0).encoded } ?? "")
        }
        var link = [FHIRBundle.Link(relation: "self", url: url(cursor))]
        if page.count > count, let last = shown.last { link.append(.init(relation: "next", url: url(last.id))) }
        let entries = shown.map { FHIRBundle.Entry(fullUrl: "\(base)/fhir/Group/\($0.id)", other: $0, search: .init(mode: "match")) }
        return try FHIRResponse.body(FHIRBundle(id: UUID().lower, lastUpdated: Date(), total: all.count, link: link, entry: entries))
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/patients`: register, read, search, edit (with `If-Match`).
struct PatientAPIController {
    let patients: PatientRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        patients = services.patients
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/patients", .clinicalStaff, "Search the clinic's patients", c.search)
        routes.api(.post, "/api/v1/patients", .clinicalStaff, "Register a patient", c.register)
        routes.api(.get, "/api/v1/patients/:id", .clinicalStaff, "Read one patient", c.read)
        routes.api(.patch, "/api/v1/patients/:id", .clinicalStaff, "Edit a patient (JSON merge patch, If-Match required)", c.edit)
    }

    @Sendable func search(_ request: Request, _ context: AppContext) async throws -> Response {
        let query = request.uri.queryParameters
        if let q = query.get("q"), QueryValues.length(q) > 200 {
            throw AppError.badRequest("must be at most 200 characters", field: "q")
        }
        let page = try PageRequest(page: Self.intParameter(query.get("page"), "page") ?? 1,
                                   perPage: Self.intParameter(query.get("perPage"), "perPage") ?? 25)
        let result = try await patients.search(PatientQuery.parse(query.get("q")), page: page, clinicId: context.signedInUser.clinicId,
                                               by: context.auditActor)
        return try JSON.response(PatientPageJSON(items: result.items.map(PatientJSON.init), page: result.page,
                                                 perPage: result.perPage, total: result.total, pageCount: result.pageCount))
    }

    @Sendable func register(_ request: Request, _ context: AppContext) async throws -> Response {
        let today = context.today
        let details = try await JSONRequest.decode(PatientBody.self, from: request, limit: limit) { try $0.details(over: nil, today: today) }
        let patient = try await RegisterPatient(database)(details, by: context.clinician, actor: context.auditActor, now: context.now)
        var headers = HTTPFields()
        headers[.location] = "/api/v1/patients/\(patient.id.lower)"
        headers[.eTag] = ETag.make(patient.version)
        return try JSON.response(PatientJSON(patient), status: .created, headers: headers)
    }

    @Sendable func read(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var headers = HTTPFields()
        headers[.eTag] = ETag.make(patient.version)
        return try JSON.response(PatientJSON(patient), headers: headers)
    }

    @Sendable func edit(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        guard let expected = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        let (body, present) = try await JSONRequest.mergePatch(PatientBody.self, from: request, limit: limit)
        let today = context.today
        let patient = try await EditPatient(database)(patientId: id, expectedVersion: expected, by: context.clinician,
                                                      actor: context.auditActor, now: context.now) { current in
            try body.details(over: (PatientDetails.Input(current), present), today: today)
        }
        var headers = HTTPFields()
        headers[.eTag] = ETag.make(patient.version)
        return try JSON.response(PatientJSON(patient), headers: headers)
    }

    static func intParameter(_ raw: String?, _ name: String) throws -> Int? {
        guard let raw else { return nil }
        guard let v = Int(raw), v >= 1, v <= 1_000_000 else { throw AppError.badRequest("must be a whole number from 1", field: name) }
        return v
    }
}

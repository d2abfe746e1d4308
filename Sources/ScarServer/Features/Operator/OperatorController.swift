import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/api/v1/operator/clinics`: the installation's operator lists the clinics and adds one with
/// its first administrator. Only the operator token opens these routes (every staff role gets
/// 403); they return clinic names and counts, never a clinic's records. Both are audited.
struct OperatorController {
    struct ClinicJSON: Encodable {
        var id: String
        var name: String
        var timeZone: String
        var staffCount: Int
        var patientCount: Int
    }

    struct ListJSON: Encodable { var items: [ClinicJSON] }

    struct CreatedJSON: Encodable {
        struct Admin: Encodable {
            var id: String
            var email: String
            var role: String
            var mustChangePassword: Bool
        }
        var clinic: ClinicJSON
        var admin: Admin
        /// Shown once, here; only its bcrypt hash is stored.
        var oneTimePassword: String
    }

    let database: ScarDatabase
    let audit: AuditRepository
    let hasher: PasswordHasher
    let limit: Int

    init(_ services: AppServices) {
        (database, audit, hasher, limit) = (services.database, services.audit, services.hasher, services.configuration.maxJSONBodyBytes)
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/operator/clinics", .installationOperator,
                   "Every clinic of this installation with its staff and patient counts (operator only)", c.list)
        routes.api(.post, "/api/v1/operator/clinics", .installationOperator,
                   "Add a clinic and its first administrator, whose one-time password is returned once (operator only)", c.create)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let actor = ClinicProvisioning.operatorActor(clientAddress: context.clientAddress)
        // Audited before it is read, so nothing is shown unaudited.
        try await audit.record(AuditEvent(action: "operator.clinic-list", recordType: "clinic"), by: actor)
        let items = try await ClinicRepository(database).summaries().map {
            ClinicJSON(id: $0.id.lower, name: $0.name, timeZone: $0.timeZone, staffCount: $0.staffCount, patientCount: $0.patientCount)
        }
        return try JSON.response(ListJSON(items: items))
    }

    @Sendable func create(_ request: Request, _ context: AppContext) async throws -> Response {
        let new = try await JSONRequest.decode(NewClinicBody.self, from: request, limit: limit, then: Self.newClinic)
        let actor = ClinicProvisioning.operatorActor(clientAddress: context.clientAddress)
        let created: ClinicProvisioning.Created
        do {
            created = try await ClinicProvisioning.create(new, database: database, hasher: hasher, by: actor)
        } catch StoreError.duplicate(let field) {
            let message = field == "adminEmail" ? "already has an account" : "is already the name of a clinic"
            throw AppError(.conflict, "Already in use", detail: "\(field) \(message).", fields: [FieldError(field, message)])
        }
        let c = created.clinic
        return try JSON.response(CreatedJSON(
            clinic: ClinicJSON(id: c.id.lower, name: c.name, timeZone: c.timeZone, staffCount: 1, patientCount: 0),
            admin: .init(id: created.admin.id.lower, email: created.admin.email, role: created.admin.role.rawValue, mustChangePassword: true),
            oneTimePassword: created.oneTimePassword), status: .created)
    }

    struct NewClinicBody: Decodable {
        var name: String?
        var timeZone: String?
        var adminEmail: String?
        var adminName: String?
    }

    /// The body's four fields, validated; unknown keys are refused with the other field errors.
    static func newClinic(_ b: NewClinicBody) throws -> NewClinic {
        let input = NewClinic.Input(name: b.name, timeZone: b.timeZone, adminEmail: b.adminEmail, adminName: b.adminName)
        switch NewClinic.validate(input) {
        case .success(let v): return v
        case .failure(let f): throw AppError.validation(f.errors)
        }
    }
}

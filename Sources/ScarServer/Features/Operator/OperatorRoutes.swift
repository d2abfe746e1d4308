import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/api/v1/operator/clinics`: the installation's operator lists the clinics and adds one with
/// its first administrator. Only the operator token opens these routes (every staff role gets
/// 403); they return clinic names and counts, never a clinic's records. Both are audited.
enum OperatorRoutes {
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

    static func add(to routes: Routes, services: AppServices) {
        routes.api(.get, "/api/v1/operator/clinics", .installationOperator,
                   "Every clinic of this installation with its staff and patient counts (operator only)") { _, context in
            let actor = ClinicProvisioning.operatorActor(clientAddress: context.clientAddress)
            // Audited before it is read, so nothing is shown unaudited.
            try await services.audit.record(AuditEvent(action: "operator.clinic-list", recordType: "clinic"), by: actor)
            let items = try await ClinicRepository(services.database).summaries().map {
                ClinicJSON(id: $0.id.lower, name: $0.name, timeZone: $0.timeZone, staffCount: $0.staffCount, patientCount: $0.patientCount)
            }
            return try JSON.response(ListJSON(items: items))
        }

        routes.api(.post, "/api/v1/operator/clinics", .installationOperator,
                   "Add a clinic and its first administrator, whose one-time password is returned once (operator only)") { request, context in
            let body = try await JSONBody.read(request, limit: services.configuration.maxJSONBodyBytes)
            var errors: [FieldError] = []
            body.rejectUnknown(allowed: ["name", "timeZone", "adminEmail", "adminName"], errors: &errors)
            let input = NewClinic.Input(name: body.string("name", errors: &errors), timeZone: body.string("timeZone", errors: &errors),
                                        adminEmail: body.string("adminEmail", errors: &errors), adminName: body.string("adminName", errors: &errors))
            let new: NewClinic
            switch NewClinic.validate(input) {
            case .success(let v) where errors.isEmpty: new = v
            case .success: throw AppError.validation(errors)
            case .failure(let f): throw AppError.validation(errors + f.errors)
            }
            let actor = ClinicProvisioning.operatorActor(clientAddress: context.clientAddress)
            let created: ClinicProvisioning.Created
            do {
                created = try await ClinicProvisioning.create(new, database: services.database, hasher: services.hasher, by: actor)
            } catch StoreError.duplicate(let field) {
                let message = field == "adminEmail" ? "already has an account" : "is already the name of a clinic"
                throw AppError(.conflict, "Already in use", detail: "\(field) \(message).", fields: [FieldError(field, message)])
            }
            let c = created.clinic
            return try JSON.response(CreatedJSON(
                clinic: ClinicJSON(id: c.id.lower, name: c.name, timeZone: c.timeZone, staffCount: 1, patientCount: 0),
                admin: .init(id: created.admin.id.lower, email: created.admin.email, role: created.admin.role.rawValue,
                             mustChangePassword: true),
                oneTimePassword: created.oneTimePassword), status: .created)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/api/v1/consent-templates`, `/api/v1/patients/:id/consents` and `/api/v1/consents/:id/withdrawal`:
/// the clinic's consent templates, a patient's signed consents, and withdrawals.
struct ConsentAPIController {
    let consents: ConsentRepository
    let database: ScarDatabase
    let limit: Int

    init(_ services: AppServices) {
        consents = ConsentRepository(services.database)
        database = services.database
        limit = services.configuration.maxJSONBodyBytes
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.get, "/api/v1/consent-templates", .clinicalStaff, "Every version of the clinic's consent templates", c.templates)
        routes.api(.post, "/api/v1/consent-templates", .adminOnly, "Add a new version of a consent template", c.addTemplate)
        routes.api(.get, "/api/v1/patients/:id/consents", .clinicalStaff, "A patient's signed consents and withdrawals", c.list)
        routes.api(.post, "/api/v1/patients/:id/consents", .clinicalStaff, "Record a patient's signed consent", c.sign)
        routes.api(.post, "/api/v1/consents/:id/withdrawal", .clinicalStaff, "Record the withdrawal of a consent", c.withdraw)
    }

    struct TemplateInput: Decodable {
        var kind: String?
        var title: String?
        var body: String?
    }

    struct ConsentInput: Decodable {
        var kind: String?
        var signerName: String?
        var agreed: Bool?
        var signaturePng: String?
    }

    struct WithdrawalInput: Decodable {
        var reason: String?
    }

    @Sendable func templates(_ request: Request, _ context: AppContext) async throws -> Response {
        struct T: Encodable { var id: String; var kind: String; var version: Int; var title: String; var body: String; var createdAt: Date }
        return try JSON.response(try await consents.templates(clinicId: context.signedInUser.clinicId).map {
            T(id: $0.id.lower, kind: $0.details.kind.rawValue, version: $0.version, title: $0.details.title, body: $0.details.body, createdAt: $0.createdAt)
        })
    }

    @Sendable func addTemplate(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(TemplateInput.self, from: request, limit: limit)
        let d = try ChartingHTTP.validated(ConsentTemplateDetails.validate(kind: input.kind, title: input.title, body: input.body))
        let t = try await consents.addTemplate(d, clinicId: context.signedInUser.clinicId, authorId: context.signedInUser.id, by: context.auditActor)
        struct T: Encodable { var id: String; var kind: String; var version: Int }
        return try JSON.response(T(id: t.id.lower, kind: t.details.kind.rawValue, version: t.version), status: .created)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let paging = try ListPaging.read(request)
        let page = try await consents.list(patientId: patientId, clinicId: context.signedInUser.clinicId, after: try paging.cursor(of: .consents),
                                           limit: paging.limit, by: context.auditActor)
        return try JSON.response(page.items.map(ConsentJSON.init),
                                 headers: paging.headers(path: "/api/v1/patients/\(patientId.lower)/consents", next: page.next?.text))
    }

    @Sendable func sign(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.apiUUID()
        let input = try await JSONRequest.decode(ConsentInput.self, from: request, limit: limit)
        let consent = try await Self.sign(patientId: patientId, kind: input.kind, signerName: input.signerName, agreed: input.agreed ?? false,
                                          png: input.signaturePng, context: context, database: database)
        return try JSON.response(ConsentJSON(consent), status: .created)
    }

    @Sendable func withdraw(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(WithdrawalInput.self, from: request, limit: limit)
        try await Self.withdraw(id, reason: input.reason, context: context, database: database)
        return try JSON.response(ConsentJSON(try await consents.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)))
    }

    /// `SignConsent`, as the API and the consent form both call it.
    static func sign(patientId: UUID, kind: String?, signerName: String?, agreed: Bool, png: String?, context: AppContext,
                     database: ScarDatabase) async throws -> ConsentRepository.SignedConsent {
        try await AppError.fromRefusal {
            try await SignConsent(database)(.init(kind: kind, signerName: signerName, agreed: agreed, drawnPNG: png,
                                                  clinicName: context.signedIn?.clinicName ?? ""),
                                            patientId: patientId, by: context.clinician, actor: context.auditActor, now: context.now)
        }
    }

    /// `WithdrawConsent`, as the API and the consent page both call it.
    static func withdraw(_ id: UUID, reason: String?, context: AppContext, database: ScarDatabase) async throws {
        try await AppError.fromRefusal {
            try await WithdrawConsent(database)(consentId: id, reason: reason, by: context.clinician, actor: context.auditActor, now: context.now)
        }
    }
}

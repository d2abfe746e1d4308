import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The clinic's side of the portal: invite a patient (e-mail through the outbox, or a code shown
/// once at the desk), end their access, and the patient page's "Patient portal" card.
struct PortalInvitationController {
    static let inviters = AccessPolicy.clinicalStaff

    let invite: InvitePatient
    let revoke: RevokePortalAccess
    let views: Views
    let maxBody: Int
    let publicURL: String?

    init(_ services: AppServices) {
        invite = InvitePatient(services.database)
        revoke = RevokePortalAccess(services.database)
        views = services.views
        maxBody = services.configuration.maxJSONBodyBytes
        publicURL = services.configuration.publicURL
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/patients/:id/portal-invitation", inviters, "Invite the patient to the portal (e-mail or desk code)", c.inviteAPI)
        routes.api(.delete, "/api/v1/patients/:id/portal-invitation", inviters, "End the patient's portal access (sessions end at once)", c.revokeAPI)
        routes.form("/patients/:id/portal-invitation", inviters, "Invite the patient to the portal", c.inviteForm)
        routes.form("/patients/:id/portal-invitation/revoke", inviters, "End the patient's portal access", c.revokeForm)
    }

    struct InviteInput: Decodable { var email: String?; var channel: String? }

    struct InvitedOut: Encodable {
        var invitationId: String
        var email: String
        var channel: String
        var deskCode: String?
        var expiresAt: Date
    }

    @Sendable func inviteAPI(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        let input = try await JSONRequest.decode(InviteInput.self, from: request, limit: maxBody)
        let invited = try await AppError.fromRefusal {
            try await invite(.init(email: input.email, channel: input.channel, linkBase: linkBase(request)), patientId: id,
                             by: context.clinician, actor: context.auditActor, now: context.now)
        }
        return try JSON.response(InvitedOut(invitationId: invited.invitationId.lower, email: invited.email, channel: invited.channel.rawValue,
                                            deskCode: invited.deskCode, expiresAt: invited.expiresAt), status: .created)
    }

    @Sendable func revokeAPI(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.apiUUID()
        try await AppError.fromRefusal { try await revoke(patientId: id, by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response(status: .noContent)
    }

    @Sendable func inviteForm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let email = form["email"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let invited = try await invite(.init(email: email, channel: form["channel"], linkBase: linkBase(request)), patientId: id,
                                           by: context.clinician, actor: context.auditActor, now: context.now)
            return views.render(.portalInvited, title: "Portal invitation", section: "patients", page: InvitedPage(
                patientURL: PatientLinks.url(id), email: invited.email, isDesk: invited.channel == .desk, deskCode: invited.deskCode ?? "",
                expires: ViewDates.format(invited.expiresAt, context.clinicZone, "d MMM yyyy HH:mm")), context: context, status: .created)
        } catch let refusal as Refusal where refusal.kind != .notFound {
            return views.render(.portalInvited, title: "Portal invitation", section: "patients", page: InvitedPage(
                patientURL: PatientLinks.url(id), failed: true, reason: refusal.fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ")),
                                context: context, status: refusal.kind == .conflict ? .conflict : .unprocessableContent)
        }
    }

    @Sendable func revokeForm(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        try await AppError.fromRefusal { try await revoke(patientId: id, by: context.clinician, actor: context.auditActor, now: context.now) }
        return Response.redirect(to: PatientLinks.url(id) + "#portal", type: .normal)
    }

    /// The link in invitation e-mails: the configured public address; without one, the address
    /// this member of staff reached the server at (a staff request, not a stranger's Host header).
    func linkBase(_ request: Request) -> String? {
        publicURL ?? request.head.authority.map { "http://\($0)" }
    }

    /// The patient page's card: access state and the invite/revoke buttons.
    static let patientPageCard = PatientPageCard(key: "portal", order: 55) { page, context in
        let id = page.patient.id, access = page.records.portalInvitation
        let zone = context.clinicZone
        return PortalCard(inviteURL: PatientLinks.url(id) + "/portal-invitation", revokeURL: PatientLinks.url(id) + "/portal-invitation/revoke",
                          hasAccess: access != nil, email: access?.email ?? "",
                          invitedOn: access.map { ViewDates.format($0.invitedAt, zone, "d MMM yyyy") } ?? "",
                          accepted: access?.acceptedAt != nil,
                          acceptedOn: access?.acceptedAt.map { ViewDates.format($0, zone, "d MMM yyyy") } ?? "",
                          canInvite: inviters.allows(context.signedInUser.role))
    }

    /// The patient page's "Patient portal" card.
    struct PortalCard {
        var inviteURL: String
        var revokeURL: String
        var hasAccess: Bool
        var email: String
        var invitedOn: String
        var accepted: Bool
        var acceptedOn: String
        var canInvite: Bool
    }

    /// `portal-invited`: the invitation sent (or the desk code shown once), or why it failed.
    struct InvitedPage {
        var patientURL: String
        var email = ""
        var isDesk = false
        var deskCode = ""
        var expires = ""
        var failed = false
        var reason = ""
    }
}

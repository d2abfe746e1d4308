import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The portal's sign-in as an API (for a patient app): ask for a code, sign in with it (the
/// session is the portal cookie; state-changing portal API calls send its CSRF token in
/// `X-CSRF-Token`), sign out, and who is signed in.
struct PortalAuthAPIController {
    let requestCode: RequestPortalCode
    let signIn: SignInWithCode
    let signOut: SignOutOfPortal
    let maxBody: Int
    let secure: Bool
    let publicURL: String?

    init(_ services: AppServices) {
        requestCode = RequestPortalCode(services.database)
        signIn = SignInWithCode(services.database)
        signOut = SignOutOfPortal(services.database)
        maxBody = services.configuration.maxJSONBodyBytes
        secure = services.configuration.secureCookies
        publicURL = services.configuration.publicURL
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.api(.post, "/api/v1/portal/sign-in-codes", .anyone, "Portal: send a sign-in code to an invited e-mail address", c.sendCode)
        routes.api(.post, "/api/v1/portal/sessions", .anyone, "Portal: sign in with a code or an e-mailed link", c.open)
        routes.api(.delete, "/api/v1/portal/sessions/current", .patient, "Portal: sign out", c.close)
        routes.api(.get, "/api/v1/portal/me", .patient, "Portal: the signed-in patient and their clinic", c.me)
    }

    struct CodeRequest: Decodable { var email: String? }
    struct SessionRequest: Decodable { var email: String?; var code: String?; var link: String? }

    @Sendable func sendCode(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(CodeRequest.self, from: request, limit: maxBody)
        let outcome = try await AppError.fromRefusal {
            try await requestCode(email: input.email, clientAddress: context.clientAddress, linkBase: publicURL, now: context.now)
        }
        guard outcome == .accepted else { throw Self.throttled }
        return try JSON.response(["status": "accepted"], status: .accepted)
    }

    @Sendable func open(_ request: Request, _ context: AppContext) async throws -> Response {
        let input = try await JSONRequest.decode(SessionRequest.self, from: request, limit: maxBody)
        let proof: SignInWithCode.Proof
        if let link = input.link, input.code == nil, input.email == nil {
            proof = .link(link)
        } else {
            var errors: [FieldError] = []
            if input.email == nil { errors.append(FieldError("email", "is required (or send link alone)")) }
            if input.code == nil { errors.append(FieldError("code", "is required (or send link alone)")) }
            guard errors.isEmpty else { throw AppError.validation(errors) }
            proof = .code(email: input.email, code: input.code)
        }
        switch try await signIn(proof, clientAddress: context.clientAddress, now: context.now) {
        case .signedIn(let opened):
            struct Out: Encodable { var patientId: String; var csrfToken: String; var expiresAt: Date }
            var response = try JSON.response(Out(patientId: opened.patientId.lower, csrfToken: opened.csrfToken, expiresAt: opened.expiresAt),
                                              status: .created)
            response.setCookie(PortalSignInMiddleware.cookie(opened.token, secure: secure))
            return response
        case .wrong:
            let field: String = if case .link = proof { "link" } else { "code" }
            throw AppError(.unprocessableContent, "Sign-in failed", detail: "The code or link is not right, has expired or was already used.",
                           fields: [FieldError(field, "is not right, has expired or was already used")])
        case .throttled:
            throw Self.throttled
        }
    }

    @Sendable func close(_ request: Request, _ context: AppContext) async throws -> Response {
        try await signOut(tokenHash: context.signedInPatient!.tokenHash, patient: context.portalPatient, actor: context.portalActor, now: context.now)
        var response = Response(status: .noContent)
        response.setCookie(PortalSignInMiddleware.cookie(nil, secure: secure))
        return response
    }

    @Sendable func me(_ request: Request, _ context: AppContext) async throws -> Response {
        let session = context.signedInPatient!
        struct Clinic: Encodable { var name: String; var phone: String; var address: String; var email: String; var timeZone: String }
        struct Out: Encodable { var patientId: String; var givenName: String; var clinic: Clinic; var csrfToken: String; var expiresAt: Date }
        let c = session.clinic
        return try JSON.response(Out(patientId: session.patientId.lower, givenName: session.givenName,
                                     clinic: Clinic(name: c.name, phone: c.phone, address: c.address, email: c.email, timeZone: c.timeZone),
                                     csrfToken: session.csrfToken, expiresAt: session.expiresAt))
    }

    static var throttled: AppError {
        var headers = HTTPFields()
        headers[.retryAfter] = "900"
        return AppError(.tooManyRequests, "Too many attempts", detail: "Wait 15 minutes before trying again.", headers: headers)
    }
}

import Foundation
import ScarCore

/// Why a use case said no, in the clinic's words: what kind of no, a title, the detail, and the
/// fields (with their reasons) a form or an API client should point at. Adapters map it once:
/// problem+json for the API, the form re-shown with messages beside its fields for pages.
public struct Refusal: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input breaks a rule (HTTP 422).
        case invalid
        /// The records are not in a state that allows it (HTTP 409).
        case conflict
        /// No such record in this clinic (HTTP 404).
        case notFound
    }

    public var kind: Kind
    public var title: String
    public var detail: String?
    public var fields: [FieldError]

    public init(_ kind: Kind, _ title: String, detail: String? = nil, fields: [FieldError] = []) {
        self.kind = kind
        self.title = title
        self.detail = detail
        self.fields = fields
    }

    public static func invalid(_ fields: [FieldError]) -> Refusal {
        Refusal(.invalid, "Invalid input", detail: fields.map { "\($0.field) \($0.message)" }.joined(separator: "; "), fields: fields)
    }
}

/// The signed-in member of staff a use case acts for, and the audit identity of the request.
public struct Clinician: Sendable {
    public var user: StaffUser
    public var today: CalendarDate

    public init(user: StaffUser, today: CalendarDate) {
        self.user = user
        self.today = today
    }

    public var clinicId: UUID { user.clinicId }
}

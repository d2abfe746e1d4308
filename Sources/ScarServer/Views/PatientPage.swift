import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import ScarCore

/// One card of the patient page, registered at app build (`PatientPageCards.registered`), so the
/// page shows every feature's card without the Patients feature knowing any of them.
struct PatientPageCard: Sendable {
    /// The template section the card fills (`{{#screening}}` in patient.mustache).
    let key: String
    /// Cards are read in this order. Their reads are audited, so the order is the order of the
    /// patient's access log; the access log card (Patients) reads the log at its own place.
    let order: Int
    /// The card's view model (a struct the template reads by name).
    let data: @Sendable (_ patientId: UUID, _ context: AppContext, _ services: AppServices) async throws -> Any
}

/// The patient page: the header, then every registered card. Features that re-show it (a refused
/// acknowledgement re-shows it with the reason) call `render` too.
enum PatientPage {
    /// The `patient` page's view model: the header, the refused acknowledgement if any, and each
    /// registered card under its key.
    struct Model: MustacheParent {
        var patient: PatientHeader.Detail
        var ackError: String?
        var cards: [String: Any]

        func child(named name: String) -> Any? {
            switch name {
            case "patient": return patient
            case "ackError": return ackError
            default: return cards[name]
            }
        }
    }

    static func render(_ id: UUID, context: AppContext, services: AppServices, acknowledgementError: FieldError? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let patient = try await services.patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        var model = Model(patient: PatientHeader.detail(patient, today: context.today),
                          ackError: acknowledgementError.map { "\($0.field): \($0.message)" }, cards: [:])
        for card in services.patientPageCards.sorted(by: { $0.order < $1.order }) {
            model.cards[card.key] = try await card.data(id, context, services)
        }
        return services.views.render(.patient, title: patient.fullName, section: "patients", page: model, context: context, status: status)
    }
}

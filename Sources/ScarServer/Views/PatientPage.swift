import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import ScarClinic
import ScarCore

/// One card of the patient page, registered at app build (`PatientPageCards.registered`), so the
/// page shows every feature's card without the Patients feature knowing any of them.
struct PatientPageCard: Sendable {
    /// The template section the card fills (`{{#screening}}` in patient.mustache).
    let key: String
    /// Cards are filled in this order.
    let order: Int
    /// The card's view model (a struct the template reads by name), from the page's records, read
    /// once for every card (`ReadPatientPage`).
    let data: @Sendable (_ page: PatientPageRead, _ context: AppContext) -> Any
}

/// The patient page: the header, then every registered card, all from one read (`ReadPatientPage`:
/// one transaction, one `patient.read` entry). Features that re-show it (a refused
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
        let page = try await ReadPatientPage(services.database)(patientId: id, by: context.clinician, actor: context.auditActor, now: context.now)
        let patient = page.patient
        var model = Model(patient: PatientHeader.detail(patient, today: context.today),
                          ackError: acknowledgementError.map { "\($0.field): \($0.message)" }, cards: [:])
        for card in services.patientPageCards.sorted(by: { $0.order < $1.order }) {
            model.cards[card.key] = card.data(page, context)
        }
        return services.views.render(.patient, title: patient.fullName, section: "patients", page: model, context: context, status: status)
    }
}

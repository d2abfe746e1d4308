import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore

/// One card of the patient page, registered at app build (`PatientPageCards.registered`), so the
/// page shows every feature's card without the Patients feature knowing any of them.
struct PatientPageCard: Sendable {
    /// The template section the card fills (`{{#screening}}` in patient.mustache).
    let key: String
    /// Cards are filled in this order.
    let order: Int
    /// The card's template data from the page's records, read once for every card (`ReadPatientPage`).
    let data: @Sendable (_ page: PatientPageRead, _ context: AppContext) -> Any
}

/// The patient page: the header, then every registered card, all from one read (`ReadPatientPage`:
/// one transaction, one `patient.read` entry). Features that re-show it (a refused
/// acknowledgement re-shows it with the reason) call `render` too.
enum PatientPage {
    static func render(_ id: UUID, context: AppContext, services: AppServices, acknowledgementError: FieldError? = nil,
                       status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = try await ReadPatientPage(services.database)(patientId: id, by: context.clinician, actor: context.auditActor)
        let patient = page.patient
        var data: [String: Any] = [
            "patient": PatientHeader.detail(patient, today: context.today),
            "ackError": acknowledgementError.map { "\($0.field): \($0.message)" } ?? "", "hasAckError": acknowledgementError != nil,
        ]
        for card in services.patientPageCards.sorted(by: { $0.order < $1.order }) {
            data[card.key] = card.data(page, context)
        }
        return services.views.render("patient", title: patient.fullName, section: "patients", data: data, context: context, status: status)
    }
}

import Foundation
import ScarCore
import ScarStore

/// The `consent` page's view model: the signed document, its hash and any withdrawal.
struct ConsentPage {
    struct Withdrawal {
        var withdrawnAt: String
        var withdrawalReason: String
    }

    /// The document as it was signed (HTML escaped when it was rendered at signing).
    var html: String
    var sha256: String
    var signer: String
    var signedAt: String
    var address: String
    var kind: String
    var version: Int
    var patientURL: String
    var withdrawal: Withdrawal?
    var action: String
    /// The next step after signing: today's booked session of this patient, checked in onto its new chart.
    var checkIn: CheckIn?

    struct CheckIn {
        var action: String
        var version: Int
        var time: String
    }

    init(_ c: ConsentRepository.SignedConsent) {
        (html, sha256, signer, signedAt) = (c.renderedHTML, c.sha256, c.signerName, ViewDates.timestamp(c.signedAt))
        (address, kind, version, patientURL) = (c.clientAddress, c.kind.label, c.templateVersion, PatientLinks.url(c.patientId))
        withdrawal = c.withdrawnAt.map { Withdrawal(withdrawnAt: ViewDates.timestamp($0), withdrawalReason: c.withdrawalReason ?? "") }
        action = "/consents/\(c.id.lower)/withdraw"
    }
}

/// The `consent-templates` page's view model: every template version and the form to add one.
struct ConsentTemplatesPage {
    struct Template {
        var kind: String
        var version: Int
        var title: String
        var body: String
        var createdAt: String
    }

    struct Kind {
        var value: String
        var label: String
    }

    var templates: [Template]
    var kinds: [Kind]
    var errors: [FieldError]
}

/// The `consent-form` page's view model: the current template of the chosen kind, to sign.
struct ConsentFormPage {
    struct Kind {
        var value: String
        var label: String
        var selected: Bool
        var url: String
    }

    struct Template {
        struct Paragraph { var text: String }

        var title: String
        var version: Int
        var paragraphs: [Paragraph]

        init(_ t: ConsentRepository.Template) {
            (title, version) = (t.details.title, t.version)
            paragraphs = t.details.body.components(separatedBy: "\n\n").map { .init(text: $0) }
        }
    }

    var patientName: String
    var patientURL: String
    var action: String
    /// Hands the tablet to the patient (patient mode) to sign this kind there.
    var handOverAction: String
    var kind: String
    var kindLabel: String
    var kinds: [Kind]
    var template: Template?
    /// Errors no field of the signature shows beside itself.
    var errors: [FieldError]
    var signature: SignatureFields
}

/// The signature fields (typed name, drawing, agreement) as the consent form and the patient-mode
/// screen show them: the typed name kept, each error beside its field.
struct SignatureFields {
    var signerName: String
    var signerNameError: String?
    var agreedError: String?
    /// The errors that belong to no signature field.
    var otherErrors: [FieldError]

    init(signerName: String?, errors: [FieldError]) {
        self.signerName = signerName ?? ""
        signerNameError = errors.first { $0.field == "signerName" }?.message
        agreedError = errors.first { $0.field == "agreed" }?.message
        otherErrors = errors.filter { $0.field != "signerName" && $0.field != "agreed" }
    }
}

/// The `patient-mode` page's view model: the consent to sign on the handed-over tablet (or the
/// thanks once signed), and the staff member's password form to take it back.
struct PatientModePage {
    var kindLabel: String
    var patientName: String
    var clinicianName: String
    var signed: Bool
    var template: ConsentFormPage.Template?
    var signature: SignatureFields
    var returnError: String?
}

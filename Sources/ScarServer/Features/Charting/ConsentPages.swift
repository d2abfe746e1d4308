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
    }

    var patientName: String
    var patientURL: String
    var action: String
    var kind: String
    var kindLabel: String
    var kinds: [Kind]
    var template: Template?
    var errors: [FieldError]
}

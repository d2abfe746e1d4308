import Foundation
import ScarCore
import ScarStore

/// A chart as the `session-chart` partial shows it: the facts, the zones, the topicals and the notes.
struct ChartFacts {
    struct Fact {
        var label: String
        var value: String
    }

    struct Zone {
        var zone: String
        var depth: String
        var passes: Int
        var pattern: String
        var endpoint: String
        /// Why the depth is above the clinic maximum, when it is.
        var reason: String?
    }

    struct Topical {
        var product: String
        var vitaminC: Bool
    }

    var facts: [Fact]
    var zones: [Zone]
    var topicals: [Topical]
    var notes: String?
}

/// The `session` page's view model: the signed chart (current and original when amended), the
/// checklist at signing, the amendments and the amendment form.
struct SessionPage {
    struct Amendment {
        var author: String
        var at: String
        var reason: String
        var fields: String
    }

    struct Check {
        var title: String
        var passed: Bool
        var reason: String
    }

    var patientName: String
    var patientURL: String
    var signedBy: String
    var signedAt: String
    var practitioner: String
    var consentURL: String
    var postcareURL: String
    var postcareVersion: String
    var aeURL: String
    var warnings: [ChartWarning]
    var current: ChartFacts
    var original: ChartFacts
    var checklist: [Check]
    var amendments: [Amendment]
    var amend: ChartFormFields
}

/// Turns sessions and adverse events into what the templates read.
enum SessionView {
    static func url(_ id: UUID) -> String { "/sessions/\(id.lower)" }

    static func chartFacts(_ c: SessionChart, devices: [Device], lots: [Lot]) -> ChartFacts {
        let device = devices.first { $0.id == c.deviceId }
        func lot(_ id: UUID?) -> String {
            guard let id, let l = lots.first(where: { $0.id == id }) else { return "—" }
            return "\(l.details.product) · lot \(l.details.lotNumber) · exp. \(l.details.expiresOn)"
        }
        var facts: [ChartFacts.Fact] = [
            .init(label: "Date", value: c.performedOn.description),
            .init(label: "Modality", value: c.modality.rawValue),
            .init(label: "Device", value: device.map { "\($0.details.model) (\($0.details.manufacturer)), SN \($0.details.serialNumber), max \(SessionChart.mm($0.details.maxDepthMm))" } ?? "—"),
            .init(label: "Cartridge lot", value: lot(c.cartridgeLotId)),
            .init(label: "Anesthetic", value: c.anesthetic.map { a in
                [a.agent, a.concentration, "\(a.minutesApplied) min", a.removed ? "removed" : "not removed", a.lotId.map { _ in "lot " + lot(a.lotId) }]
                    .compactMap { $0 }.joined(separator: " · ") } ?? "None"),
            .init(label: "Duration", value: c.durationMinutes.map { "\($0) min" } ?? "—"),
            .init(label: "Immediate reactions", value: [c.reactions.erythema ? "erythema" : nil, c.reactions.edema ? "edema" : nil,
                                                        c.reactions.pinpointBleeding ? "pinpoint bleeding" : nil,
                                                        c.reactions.painScore.map { "pain \($0)/10" }].compactMap { $0 }.joined(separator: ", ").ifEmpty("None")),
        ]
        if let rf = c.rf {
            facts.append(.init(label: "RF settings", value: [rf.energyMJPerPin.map { "\($0) mJ/pin" }, rf.pinCount.map { "\($0) pins" },
                                                             rf.pulseDurationMs.map { "\($0) ms" }, rf.insulation?.rawValue, rf.electrode?.rawValue,
                                                             rf.frequencyMHz.map { "\($0) MHz" }].compactMap { $0 }.joined(separator: " · ")))
        }
        return ChartFacts(
            facts: facts,
            zones: c.zones.map { z in
                .init(zone: z.zone.label, depth: SessionChart.mm(z.depthMm), passes: z.passes, pattern: z.pattern?.rawValue ?? "—",
                      endpoint: z.endpoint.label, reason: z.depthReason)
            },
            topicals: c.topicals.map { .init(product: $0.lotId == nil ? $0.product : lot($0.lotId), vitaminC: $0.vitaminC) },
            notes: c.notes)
    }

    static func page(_ s: SessionRecord, patient: Patient, devices: [Device], lots: [Lot], amendErrors: [FieldError]) -> SessionPage {
        SessionPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patient.id),
            signedBy: s.signedByName ?? "", signedAt: s.signedAt.map(ViewDates.timestamp) ?? "", practitioner: s.practitionerName,
            consentURL: s.consentId.map { "/consents/\($0.lower)" } ?? "", postcareURL: url(s.id) + "/post-care",
            postcareVersion: s.postcareVersion ?? "", aeURL: PatientLinks.url(patient.id) + "/adverse-events/new?session=\(s.id.lower)",
            warnings: s.warnings,
            current: chartFacts(s.currentChart, devices: devices, lots: lots), original: chartFacts(s.chart, devices: devices, lots: lots),
            checklist: (s.checklist?.items ?? []).map { .init(title: $0.title, passed: $0.passed, reason: $0.reason) },
            amendments: s.amendments.map { a in
                .init(author: a.authorName, at: ViewDates.timestamp(a.at), reason: a.reason, fields: a.changedFields.joined(separator: ", "))
            },
            amend: ChartForm.fields(SessionChart.Input(s.currentChart), devices: devices, lots: lots, today: s.chart.performedOn,
                                    errors: amendErrors, zoneOrder: s.currentChart.zones.map(\.zone), action: "/sessions/\(s.id.lower)/amend"))
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}

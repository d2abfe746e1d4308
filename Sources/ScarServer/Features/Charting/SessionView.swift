import Foundation
import ScarCore
import ScarStore

/// Turns sessions and adverse events into the plain dictionaries the templates read.
enum SessionView {
    static func url(_ id: UUID) -> String { "/sessions/\(id.lower)" }

    static func chartRows(_ c: SessionChart, devices: [Device], lots: [Lot]) -> [String: Any] {
        let device = devices.first { $0.id == c.deviceId }
        func lot(_ id: UUID?) -> String {
            guard let id, let l = lots.first(where: { $0.id == id }) else { return "—" }
            return "\(l.details.product) · lot \(l.details.lotNumber) · exp. \(l.details.expiresOn)"
        }
        var facts: [[String: String]] = [
            ["label": "Date", "value": c.performedOn.description],
            ["label": "Modality", "value": c.modality.rawValue],
            ["label": "Device", "value": device.map { "\($0.details.model) (\($0.details.manufacturer)), SN \($0.details.serialNumber), max \(SessionChart.mm($0.details.maxDepthMm))" } ?? "—"],
            ["label": "Cartridge lot", "value": lot(c.cartridgeLotId)],
            ["label": "Anesthetic", "value": c.anesthetic.map { a in
                [a.agent, a.concentration, "\(a.minutesApplied) min", a.removed ? "removed" : "not removed", a.lotId.map { _ in "lot " + lot(a.lotId) }]
                    .compactMap { $0 }.joined(separator: " · ") } ?? "None"],
            ["label": "Duration", "value": c.durationMinutes.map { "\($0) min" } ?? "—"],
            ["label": "Immediate reactions", "value": [c.reactions.erythema ? "erythema" : nil, c.reactions.edema ? "edema" : nil,
                                                      c.reactions.pinpointBleeding ? "pinpoint bleeding" : nil,
                                                      c.reactions.painScore.map { "pain \($0)/10" }].compactMap { $0 }.joined(separator: ", ").ifEmpty("None")],
        ]
        if let rf = c.rf {
            facts.append(["label": "RF settings", "value": [rf.energyMJPerPin.map { "\($0) mJ/pin" }, rf.pinCount.map { "\($0) pins" },
                                                          rf.pulseDurationMs.map { "\($0) ms" }, rf.insulation?.rawValue, rf.electrode?.rawValue,
                                                          rf.frequencyMHz.map { "\($0) MHz" }].compactMap { $0 }.joined(separator: " · ")])
        }
        return [
            "facts": facts,
            "zones": c.zones.map { z in
                ["zone": z.zone.label, "depth": SessionChart.mm(z.depthMm), "passes": z.passes, "pattern": z.pattern?.rawValue ?? "—",
                 "endpoint": z.endpoint.label, "reason": z.depthReason ?? "", "hasReason": z.depthReason != nil] as [String: Any]
            },
            "topicals": c.topicals.map { ["product": $0.lotId == nil ? $0.product : lot($0.lotId), "vitaminC": $0.vitaminC] as [String: Any] },
            "hasTopicals": !c.topicals.isEmpty,
            "notes": c.notes ?? "", "hasNotes": c.notes != nil,
        ]
    }

    static func detail(_ s: SessionRecord, devices: [Device], lots: [Lot]) -> [String: Any] {
        [
            "id": s.id.lower, "status": s.status.rawValue, "signed": s.status == .signed,
            "original": chartRows(s.chart, devices: devices, lots: lots),
            "hasAmendments": !s.amendments.isEmpty,
            "current": chartRows(s.currentChart, devices: devices, lots: lots),
            "amendments": s.amendments.map { a in
                ["author": a.authorName, "at": ViewDates.timestamp(a.at), "reason": a.reason, "fields": a.changedFields.joined(separator: ", ")] as [String: Any]
            },
            "warnings": s.warnings.map { ["message": $0.message, "source": $0.source] }, "hasWarnings": !s.warnings.isEmpty,
            "practitioner": s.practitionerName, "signedAt": s.signedAt.map(ViewDates.timestamp) ?? "", "signedBy": s.signedByName ?? "",
            "postcareVersion": s.postcareVersion ?? "", "postcareURL": url(s.id) + "/post-care",
            "checklist": (s.checklist?.items ?? []).map { ["title": $0.title, "passed": $0.passed, "reason": $0.reason] as [String: Any] },
            "consentURL": s.consentId.map { "/consents/\($0.lower)" } ?? "",
        ]
    }

    static func aeRow(_ r: AdverseEventRepository.Record) -> [String: Any] {
        let d = r.details
        return ["patientName": r.patientName, "patientURL": PatientLinks.url(r.patientId), "term": AETerm.find(d.term)?.label ?? d.term,
                "onsetOn": d.onsetOn.description, "grade": CTCAEGrade(rawValue: d.grade.rawValue)?.label ?? "", "serious": d.serious,
                "relatedness": d.relatedness.label, "outcome": d.outcome.label, "action": d.actionTaken ?? "—", "url": AdverseEventView.url(r.id),
                "sessionURL": d.sessionId.map(url) ?? "", "hasSession": d.sessionId != nil, "reportedBy": r.reportedBy]
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}

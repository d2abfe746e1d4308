import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The two pages of a session chart: the draft form (with the checklist and today's questions)
/// and the signed session (with its amendments and the amendment form).
extension SessionPageController {
    func formPage(patient: Patient, session: SessionRecord?, input: SessionChart.Input, errors: [FieldError], zoneOrder: [FacialZone],
                  context: AppContext, checklist: PreSessionChecklist.Result? = nil, day: DayAnswers? = nil, banner: String? = nil,
                  status: HTTPResponse.Status = .ok, appointmentId: UUID? = nil) async throws -> Response {
        let clinicId = context.signedInUser.clinicId
        let devices = try await self.devices.devices(clinicId: clinicId)
        let lots = try await self.devices.lots(clinicId: clinicId)
        var data = ChartForm.data(input, devices: devices, lots: lots, today: context.today, errors: errors, zoneOrder: zoneOrder,
                                  warnings: session?.warnings ?? [])
        data["patientName"] = patient.fullName
        data["patientURL"] = PatientLinks.url(patient.id)
        data["action"] = session.map { "/sessions/\($0.id.lower)" } ?? PatientLinks.url(patient.id) + "/sessions"
        data["isDraft"] = session != nil
        data["hasAppointment"] = appointmentId != nil && session == nil
        data["appointmentId"] = appointmentId?.lower ?? ""
        data["version"] = session?.version ?? 0
        data["signAction"] = session.map { "/sessions/\($0.id.lower)/sign" } ?? ""
        data["checkAction"] = session.map { "/sessions/\($0.id.lower)/checklist" } ?? ""
        data["hasBanner"] = banner != nil
        data["banner"] = banner ?? ""
        data["dayQuestions"] = Self.dayQuestions(day)
        data["hasChecklist"] = checklist != nil
        data["checklistPassed"] = checklist?.passed ?? false
        data["checklist"] = (checklist?.items ?? []).map { ["title": $0.title, "passed": $0.passed, "reason": $0.reason, "source": $0.source ?? "",
                                                           "hasSource": $0.source != nil] as [String: Any] }
        data["hasDevices"] = !devices.isEmpty
        return views.render("session-form", title: session == nil ? "New session · \(patient.fullName)" : "Session draft · \(patient.fullName)",
                            section: "patients", data: data, context: context, status: status)
    }

    /// Today's questions with their three answers, "not asked" until the clinician answers.
    static func dayQuestions(_ day: DayAnswers?) -> [[String: Any]] {
        DayAnswers.fields.map { f in
            let given = day?.answer(f) ?? .notAsked
            return ["name": "day.\(f)", "field": f, "label": DayAnswers.labels[f] ?? f, "notAsked": given == .notAsked,
                    "answers": DayAnswers.Answer.allCases.map { a in
                        ["value": a.rawValue, "label": a.label, "checked": a == given, "id": "day-\(f)-\(a.rawValue)"] as [String: Any]
                    }] as [String: Any]
        }
    }

    func sessionPage(_ s: SessionRecord, context: AppContext, amendErrors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let clinicId = context.signedInUser.clinicId
        let devices = try await self.devices.devices(clinicId: clinicId)
        let lots = try await self.devices.lots(clinicId: clinicId)
        var data = SessionView.detail(s, devices: devices, lots: lots)
        data["patientName"] = patient.fullName
        data["patientURL"] = PatientLinks.url(patient.id)
        data["amendAction"] = "/sessions/\(s.id.lower)/amend"
        data["aeURL"] = PatientLinks.url(patient.id) + "/adverse-events/new?session=\(s.id.lower)"
        var amendForm = ChartForm.data(SessionChart.Input(s.currentChart), devices: devices, lots: lots, today: s.chart.performedOn,
                                       errors: amendErrors, zoneOrder: s.currentChart.zones.map(\.zone))
        amendForm["action"] = "/sessions/\(s.id.lower)/amend"
        data["amend"] = amendForm
        data["hasAmendErrors"] = !amendErrors.isEmpty
        return views.render("session", title: "Session \(s.chart.performedOn) · \(patient.fullName)", section: "patients", data: data,
                            context: context, status: status)
    }
}

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
        let safety = try await ReadSafetyBanner(database)(patient: patient, by: context.clinician)
        let chart = ChartForm.fields(input, devices: devices, lots: lots, today: context.today, errors: errors, zoneOrder: zoneOrder,
                                     warnings: session?.warnings ?? [],
                                     action: session.map { "/sessions/\($0.id.lower)" } ?? PatientLinks.url(patient.id) + "/sessions")
        let page = SessionFormPage(
            patientName: patient.fullName, patientURL: PatientLinks.url(patient.id), safetyBanner: .init(items: safety), isDraft: session != nil,
            appointmentId: session == nil ? appointmentId?.lower : nil, version: session?.version ?? 0,
            signAction: session.map { "/sessions/\($0.id.lower)/sign" } ?? PatientLinks.url(patient.id) + "/sessions?then=sign", checkAction: session.map { "/sessions/\($0.id.lower)/checklist" } ?? "",
            banner: banner, noDevicesRegistered: devices.isEmpty, chart: chart, dayQuestions: Self.dayQuestions(day),
            checklist: checklist.map { c in
                .init(items: c.items.map { .init(title: $0.title, passed: $0.passed, reason: $0.reason, source: $0.source) }, checklistPassed: c.passed)
            },
            checklistPassed: checklist?.passed ?? false, photoAction: PatientLinks.url(patient.id) + "/photos/batch",
            returnPath: session.map { "/sessions/\($0.id.lower)" }
                ?? PatientLinks.url(patient.id) + "/sessions/new" + (appointmentId.map { "?appointment=\($0.lower)" } ?? ""),
            today: context.today.description, viewOrder: PhotoBatch.standardViews.map(\.label).joined(separator: ", "), maxMB: maxPhotoMB,
            camera: .init(patientId: patient.id))
        return views.render(.sessionForm, title: session == nil ? "New session · \(patient.fullName)" : "Session draft · \(patient.fullName)",
                            section: "patients", page: page, context: context, status: status)
    }

    /// Today's questions with their three answers, "not asked" until the clinician answers.
    static func dayQuestions(_ day: DayAnswers?) -> [SessionFormPage.DayQuestion] {
        DayAnswers.fields.map { f in
            let given = day?.answer(f) ?? .notAsked
            return .init(name: "day.\(f)", field: f, label: DayAnswers.labels[f] ?? f, notAsked: given == .notAsked,
                         answers: DayAnswers.Answer.allCases.map { a in
                             .init(value: a.rawValue, label: a.label, checked: a == given, id: "day-\(f)-\(a.rawValue)")
                         })
        }
    }

    func sessionPage(_ s: SessionRecord, context: AppContext, amendErrors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let patient = try await patients.find(id: s.patientId, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let clinicId = context.signedInUser.clinicId
        let devices = try await self.devices.devices(clinicId: clinicId)
        let lots = try await self.devices.lots(clinicId: clinicId)
        let page = SessionView.page(s, patient: patient, devices: devices, lots: lots, amendErrors: amendErrors)
        return views.render(.session, title: "Session \(s.chart.performedOn) · \(patient.fullName)", section: "patients", page: page,
                            context: context, status: status)
    }
}

/// The `session-form` page's view model: the chart form (new or draft), today's questions and,
/// once checked, the pre-session checklist with the sign button.
struct SessionFormPage {
    struct DayQuestion {
        struct Answer {
            var value: String
            var label: String
            var checked: Bool
            var id: String
        }

        var name: String
        var field: String
        var label: String
        var notAsked: Bool
        var answers: [Answer]
    }

    struct Checklist {
        struct Item {
            var title: String
            var passed: Bool
            var reason: String
            var source: String?
        }

        var items: [Item]
        var checklistPassed: Bool
    }

    /// What to see before touching the face (`SafetyBanner`), kept in view while charting.
    struct PatientSafety {
        var items: [SafetyBanner.Item]
    }

    var patientName: String
    var patientURL: String
    var safetyBanner: PatientSafety
    var isDraft: Bool
    /// The appointment a new chart is started from.
    var appointmentId: String?
    var version: Int
    var signAction: String
    var checkAction: String
    var banner: String?
    var noDevicesRegistered: Bool
    var chart: ChartFormFields
    var dayQuestions: [DayQuestion]
    /// The checklist's result once "Save and check" or "Sign" was pressed.
    var checklist: Checklist?
    var checklistPassed: Bool
    /// The before-photos: the standard views at once, back to this chart (`returnPath`).
    var photoAction: String
    var returnPath: String
    var today: String
    var viewOrder: String
    var maxMB: Int
    var camera: CameraCapture

    /// "Use camera" on a tablet: the standard views in order, each uploaded as it is captured through
    /// the one-photo form; the patient's photos (the API list) give each view's baseline for the overlay.
    struct CameraCapture {
        var viewsJSON: String
        var photosURL: String
        var uploadURL: String

        init(patientId: UUID) {
            let views = PhotoBatch.standardViews.map { ["value": $0.rawValue, "label": $0.label] }
            viewsJSON = (try? JSONSerialization.data(withJSONObject: views, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            photosURL = "/api/v1/patients/\(patientId.lower)/photos"
            uploadURL = PatientLinks.url(patientId) + "/photos"
        }
    }
}

import Foundation
import Hummingbird
import ScarCore
import ScarStore

/// `/patients/:id/report`: one printable page for the patient's file — the plan in force,
/// every session, the scores over time and the adverse events. It is a read of the whole
/// record, so it is audited like the other reads it is made of, plus `report.read`.
struct CourseReportController {
    let services: AppServices

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients/:id/report", .clinicalStaff, "Printable course report: plan, sessions, scores over time, adverse events", c.report)
    }

    @Sendable func report(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let user = context.signedInUser
        let actor = context.auditActor
        let patient = try await services.patients.find(id: id, clinicId: user.clinicId, by: actor)
        let plans = try await PlanRepository(services.database).list(patientId: id, clinicId: user.clinicId, by: actor)
        let sessions = try await SessionRepository(services.database).list(patientId: id, clinicId: user.clinicId, by: actor)
            .sorted { $0.currentChart.performedOn < $1.currentChart.performedOn }
        let progress = PatientProgress(try await services.assessments.list(patientId: id, clinicId: user.clinicId, by: actor))
        let events = try await AdverseEventRepository(services.database).list(patientId: id, openOnly: false, clinicId: user.clinicId, by: actor)
            .sorted { $0.details.onsetOn < $1.details.onsetOn }
        let pros = try await services.outcomes.list(patientId: id, clinicId: user.clinicId, by: actor)
        try await services.audit.record(AuditEvent(action: "report.read", recordType: "patient", recordId: id.uuidString, patientId: id), by: actor)

        let signedDates = sessions.filter { $0.status == .signed }.map { $0.currentChart.performedOn }
        let charts = ProgressChart.scales(progress, sessionDates: signedDates.compactMap { CalendarDate($0.description) }, idPrefix: "report",
                                          includeECCA: false)
        let page = OutcomePages.CourseReport(
            patientName: patient.fullName, patientURL: PatientLinks.url(id), mrn: patient.mrn, dateOfBirth: patient.dateOfBirth.description,
            clinicName: context.signedIn?.clinicName ?? "", printedOn: context.today.description, printedBy: user.displayName,
            plans: plans.map(CourseReport.plan), sessions: sessions.map(CourseReport.session), signedCount: signedDates.count,
            assessments: CourseReport.assessments(progress), charts: charts.map { $0.svg() }, events: events.map(CourseReport.event),
            pros: ProgressView.reportedOutcomes(pros))
        return services.views.render(.courseReport, title: "Course report · \(patient.fullName)", section: "patients", page: page, context: context)
    }
}

/// The report's rows (`OutcomePages`).
enum CourseReport {
    static func plan(_ plan: TreatmentPlan) -> OutcomePages.ReportPlan {
        let v = plan.inForce ?? plan.current
        let c = v.content
        return .init(title: v.template.definition.name, version: v.number, status: v.status.label, modality: v.modality.rawValue,
                     sessions: c.sessions, interval: c.intervalDays,
                     adjuncts: c.adjuncts.isEmpty ? "none" : c.adjuncts.map(\.label).joined(separator: ", "),
                     depths: FacialZone.allCases.compactMap { z in c.zoneDepths[z].map { "\(z.label) \($0)" } }.joined(separator: "; "),
                     rationale: (c.rationale ?? "").isEmpty ? nil : c.rationale,
                     approval: v.approval.map { "Approved by \($0.approvedBy) on \(CalendarDate.utc($0.approvedAt))" } ?? "Not approved")
    }

    static func session(_ s: SessionRecord) -> OutcomePages.ReportSession {
        let chart = s.currentChart
        let depths = chart.zones.map(\.depthMm)
        let range = depths.isEmpty ? "—" : (depths.min() == depths.max()
            ? String(format: "%.2f mm", depths[0]) : String(format: "%.2f–%.2f mm", depths.min()!, depths.max()!))
        let endpoints = Set(chart.zones.map(\.endpoint.label)).sorted().joined(separator: ", ")
        return .init(date: chart.performedOn.description, modality: chart.modality.rawValue, practitioner: s.practitionerName,
                     zones: chart.zones.count, depths: range, passes: chart.zones.map(\.passes).max().map(String.init) ?? "—",
                     endpoint: endpoints.isEmpty ? "—" : endpoints, signed: s.status == .signed,
                     status: s.status == .signed ? "Signed by \(s.signedByName ?? "")" : "Draft (not signed)",
                     amendments: s.amendments.isEmpty ? nil : s.amendments.count)
    }

    /// Baseline first; each follow-up says whether it meets the responder rule against baseline.
    static func assessments(_ progress: PatientProgress) -> [OutcomePages.ReportAssessment] {
        progress.assessments.enumerated().map { (i, a) -> OutcomePages.ReportAssessment in
            let vs = i == 0 ? nil : progress.comparisons[i - 1].vsBaseline
            return .init(date: a.details.assessedOn.description, grade: a.scores.gbQualitative.total, gbq: a.scores.gbQuantitative.total,
                         ecca: a.scores.ecca.total, isBaseline: i == 0, responder: vs?.responder ?? false,
                         change: vs.map { ProgressView.change($0.gbQuantitative) } ?? "baseline")
        }
    }

    static func event(_ e: AdverseEventRepository.Record) -> OutcomePages.ReportEvent {
        let d = e.details
        return .init(term: AETerm.find(d.term)?.label ?? d.term, onset: d.onsetOn.description, grade: d.grade.label,
                     serious: d.serious, relatedness: d.relatedness.label, outcome: d.outcome.label,
                     resolved: d.resolvedOn.map(ViewDates.day) ?? "", action: d.actionTaken ?? "")
    }
}

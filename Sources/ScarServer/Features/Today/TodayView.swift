import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The day home's view data: one row per visit with its readiness and its next step, then the
/// lists that need someone today. The front desk sees its lists first.
enum TodayView {
    static func data(_ day: ReadClinicDay.Day, role: Role, zone: TimeZone, csrf: String) -> [String: Any] {
        let desk = role == .frontDesk
        let waiting = day.visits.filter { $0.appointment.status == .booked }.count
        let checkedIn = day.visits.filter { $0.appointment.status == .checkedIn }.count
        return [
            "dayLabel": ViewDates.format(Availability(timeZone: zone, weeklyHours: [:]).instant(day.date, minutes: 12 * 60), zone, "EEEE d MMMM yyyy"),
            "scheduleURL": "/schedule?date=\(day.date)",
            "isDesk": desk, "csrf": csrf,
            "visits": day.visits.map { visit($0, zone: zone) }, "hasVisits": !day.visits.isEmpty,
            "counts": "\(day.visits.count) visit\(day.visits.count == 1 ? "" : "s") · \(waiting) to arrive · \(checkedIn) checked in",
            "tomorrow": day.tomorrow.map { appointment($0, zone: zone) }, "hasTomorrow": !day.tomorrow.isEmpty,
            "overdue": day.overdueFollowUps.map { appointment($0, zone: zone) }, "hasOverdue": !day.overdueFollowUps.isEmpty,
            "adverseEvents": day.openAdverseEvents.map(adverseEvent), "hasAdverseEvents": !day.openAdverseEvents.isEmpty,
            "reports": day.suspectedAdverseEvents.map { report($0, today: day.date, zone: zone, canDecide: role == .admin || role == .practitioner) },
            "hasReports": !day.suspectedAdverseEvents.isEmpty,
            "changeRequests": day.changeRequests.map { changeRequest($0, zone: zone, today: day.date) }, "hasChangeRequests": !day.changeRequests.isEmpty,
            "drafts": day.unsignedCharts.map(draft), "hasDrafts": !day.unsignedCharts.isEmpty,
            "failed": day.failedMessages.map { failed($0, zone: zone) }, "hasFailed": !day.failedMessages.isEmpty,
            "toBook": day.seriesToBook.map(toBook), "hasToBook": !day.seriesToBook.isEmpty,
        ]
    }

    static func visit(_ v: ReadClinicDay.Visit, zone: TimeZone) -> [String: Any] {
        var row = appointment(v.appointment, zone: zone)
        let a = v.appointment
        row["canCheckIn"] = a.status == .booked
        row["statusURL"] = "/appointments/\(a.id.lower)/status"
        row["version"] = a.version
        if let chartId = v.chartId {
            row["chartURL"] = "/sessions/\(chartId.lower)"
            row["chartAction"] = a.status == .completed ? "Open chart" : "Continue chart"
        } else if a.kind == .session, a.status == .checkedIn {
            row["chartURL"] = "/patients/\(a.patientId.lower)/sessions/new?appointment=\(a.id.lower)"
            row["chartAction"] = "Start chart"
        } else if a.kind == .followUp, a.status != .cancelled, a.status != .noShow {
            row["chartURL"] = "/appointments/\(a.id.lower)/follow-up"
            row["chartAction"] = a.status == .completed ? "Open follow-up" : "Follow-up visit"
        }
        row["hasChart"] = row["chartURL"] != nil
        if let r = v.readiness {
            row["hasReadiness"] = true
            row["summary"] = r.summary
            row["state"] = r.stopped ? "stop" : (r.open.contains { $0.id != "chart" } ? "todo" : "ready")
            row["checks"] = r.items.map { ["id": $0.id, "label": $0.label, "state": $0.state.rawValue, "detail": $0.detail,
                                           "mark": $0.state == .done ? "✓" : ($0.state == .stop ? "✕" : "•")] }
        }
        return row
    }

    static func appointment(_ a: Appointment, zone: TimeZone) -> [String: Any] {
        [
            "id": a.id.lower, "url": "/appointments/\(a.id.lower)", "patientURL": "/patients/\(a.patientId.lower)",
            "patientName": a.patientName, "label": a.kind.label(a.number),
            "time": ViewDates.format(a.startsAt, zone, "HH:mm"), "date": ViewDates.format(a.startsAt, zone, "EEE d MMM"),
            "practitioner": a.practitionerName, "room": a.roomName, "status": a.status.rawValue,
            "statusLabel": statusLabel(a.status),
        ]
    }

    static func statusLabel(_ s: AppointmentStatus) -> String {
        switch s {
        case .booked: "Booked"
        case .checkedIn: "Checked in"
        case .cancelled: "Cancelled"
        case .noShow: "No-show"
        case .completed: "Done"
        }
    }

    static func adverseEvent(_ e: AdverseEventRepository.Record) -> [String: Any] {
        ["url": "/adverse-events/\(e.id.lower)", "patientName": e.patientName,
         "term": AETerm.find(e.details.term)?.label ?? e.details.term, "onset": e.details.onsetOn.description, "serious": e.details.serious,
         "grade": "grade \(e.details.grade.label.lowercased())"]
    }

    /// A patient's report waiting for a clinician: why it came, the photos, and one click to
    /// confirm it (when the rule that flagged it names a term) or to dismiss it.
    static func report(_ s: CheckInRepository.Suspected, today: CalendarDate, zone: TimeZone, canDecide: Bool) -> [String: Any] {
        let url = "/suspected-adverse-events/\(s.id.lower)"
        let term = s.suggestedTerm.flatMap(AETerm.find)
        let hours = s.day.flatMap { day in ["erythema", "edema"].contains(term?.code ?? "") ? String(day * 24) : nil }
        return ["id": s.id.lower, "url": url, "patientName": s.patientName, "patientURL": "/patients/\(s.patientId.lower)",
                "title": s.day.map { "day \($0) check-in" } ?? "problem report",
                "sent": ViewDates.format(s.createdAt, zone, "EEE d MMM HH:mm"),
                "reasons": s.reasons.map { ["text": $0.text, "source": $0.source] },
                "photos": s.photoIds.map { ["url": "/reported-photos/\($0.lower)/image"] }, "hasPhotos": !s.photoIds.isEmpty,
                "canDecide": canDecide, "confirmURL": url + "/confirm", "dismissURL": url + "/dismiss",
                "canConfirm": canDecide && term != nil, "term": term?.code ?? "", "termLabel": term?.label ?? "",
                "sessionId": s.sessionId?.lower ?? "", "onsetOn": today.description, "durationHours": hours ?? "",
                "grades": CTCAEGrade.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == .mild] }]
    }

    static func draft(_ d: UnitOfWork.DraftChart) -> [String: Any] {
        ["url": "/sessions/\(d.sessionId.lower)", "patientName": d.patientName, "practitioner": d.practitionerName,
         "date": d.performedOn?.description ?? ""]
    }

    static func failed(_ m: OutboxMessage, zone: TimeZone) -> [String: Any] {
        ["subject": m.subject, "recipient": m.recipient, "due": ViewDates.format(m.dueAt, zone, "d MMM HH:mm"),
         "error": m.lastError ?? "", "url": m.appointmentId.map { "/appointments/\($0.lower)" } ?? "/patients/\(m.patientId.lower)"]
    }

    static func toBook(_ s: UnitOfWork.SeriesToBook) -> [String: Any] {
        ["patientName": s.patientName, "url": "/patients/\(s.patientId.lower)/book",
         "plan": "\(s.sessions) session\(s.sessions == 1 ? "" : "s") of \(s.modality == .rfMicroneedling ? "RF microneedling" : "microneedling")"]
    }
}

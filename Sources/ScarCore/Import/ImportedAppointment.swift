import Foundation

/// An appointment row that passed every check: its patient is found later by the patient's
/// source id (from an earlier patient import) or by record number, its practitioner and room by name.
public struct ImportedAppointment: Sendable, Equatable {
    public enum PatientReference: Sendable, Equatable, Hashable {
        case sourceId(String)
        case recordNumber(String)
    }

    public var row: Int
    public var sourceId: String
    public var patient: PatientReference
    public var start: Date
    public var durationMinutes: Int
    public var practitioner: String
    public var room: String
    public var status: AppointmentStatus
    public var kind: ProposedAppointment.Kind
    public var modality: Modality

    public var end: Date { start.addingTimeInterval(TimeInterval(durationMinutes * 60)) }

    public static let durations = 5...480

    /// Maps one row and checks it: the date in the mapping's format and a 24-hour `HH:MM` time in
    /// the clinic's zone, a duration of 5–480 minutes, names present, a known status, visit kind and modality.
    public static func validate(_ cells: [String], row: Int, columns: ImportColumns, zone: TimeZone) -> Result<ImportedAppointment, ImportProblems> {
        var problems: [ImportProblem] = []
        func problem(_ field: ImportField, _ reason: String) { problems.append(ImportProblem(row: row, field: columns.header(field), reason: reason)) }
        func required(_ field: ImportField) -> String? {
            guard let v = columns.value(field, in: cells) else { problem(field, "is required"); return nil }
            if v.count > 100 || Text.hasControlCharacters(v) { problem(field, "must be at most 100 characters without control characters") }
            return v
        }
        let sourceId = columns.sourceId(.sourceId, in: cells, number: row, problems: &problems)
        var patient: PatientReference?
        if let id = columns.value(.patientSourceId, in: cells) { patient = .sourceId(id) }
        else if let mrn = columns.value(.patientRecordNumber, in: cells) { patient = .recordNumber(mrn) }
        else { problem(.patientSourceId, "is required (or \(columns.header(.patientRecordNumber)))") }

        var day: CalendarDate?
        if let raw = required(.date) {
            day = columns.mapping.dateFormat.date(raw)
            if day == nil { problem(.date, "must be a real date written \(columns.mapping.dateFormat.rawValue)") }
        }
        var minutes: Int?
        if let raw = required(.time) {
            minutes = Self.minutesOfDay(raw)
            if minutes == nil { problem(.time, "must be a time written HH:MM (24-hour)") }
        }
        var duration = 0
        if let raw = required(.durationMinutes) {
            if let d = Int(raw), durations.contains(d) { duration = d } else {
                problem(.durationMinutes, "must be a whole number of minutes from \(durations.lowerBound) to \(durations.upperBound)")
            }
        }
        let practitioner = required(.practitioner)
        let room = required(.room)
        var status = AppointmentStatus.booked
        if let raw = columns.value(.status, in: cells) {
            if let s = Self.status(raw) { status = s } else { problem(.status, "must be one of booked, checked-in, cancelled, no-show") }
        }
        var kind = ProposedAppointment.Kind.session
        if let raw = columns.value(.visitKind, in: cells) {
            if let k = ProposedAppointment.Kind(rawValue: raw.lowercased()) { kind = k } else { problem(.visitKind, "must be session or follow-up") }
        }
        var modality = Modality.microneedling
        if let raw = columns.value(.modality, in: cells) {
            if let m = Modality(rawValue: raw.lowercased()) { modality = m } else { problem(.modality, "must be microneedling or rf-microneedling") }
        }
        guard problems.isEmpty, let sourceId, let patient, let day, let minutes, let practitioner, let room,
              let start = Self.instant(day, minutes: minutes, zone: zone) else { return .failure(ImportProblems(problems)) }
        return .success(ImportedAppointment(row: row, sourceId: sourceId, patient: patient, start: start, durationMinutes: duration,
                                            practitioner: practitioner, room: room, status: status, kind: kind, modality: modality))
    }

    /// `9:30`, `09:30` or `09:30:00` → minutes after midnight.
    static func minutesOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        if parts.count == 3 { guard let s = Int(parts[2]), (0...59).contains(s) else { return nil } }
        return h * 60 + m
    }

    /// Other systems' words for where a visit stands: one that took place is checked in.
    static func status(_ raw: String) -> AppointmentStatus? {
        switch raw.lowercased() {
        case "booked", "scheduled", "confirmed": .booked
        case "checked-in", "checked in", "arrived", "attended", "completed", "done": .checkedIn
        case "cancelled", "canceled": .cancelled
        case "no-show", "no show", "noshow", "dna", "did not attend": .noShow
        default: nil
        }
    }

    /// The wall-clock time on that day in the clinic's zone (nil for a time the clock skips).
    static func instant(_ day: CalendarDate, minutes: Int, zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        guard let date = calendar.date(from: parts) else { return nil }
        let back = calendar.dateComponents([.hour, .minute], from: date)
        return back.hour == minutes / 60 && back.minute == minutes % 60 ? date : nil
    }
}

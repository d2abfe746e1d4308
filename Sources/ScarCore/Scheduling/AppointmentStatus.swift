/// Where an appointment stands, and which changes the front desk and clinicians may make.
public enum AppointmentStatus: String, Sendable, Codable, CaseIterable {
    case booked
    case checkedIn = "checked-in"
    case cancelled
    case noShow = "no-show"
    /// A session signed for this appointment (stored as `checked-in` with `completed_at`; derived when read).
    case completed

    /// Statuses that hold the practitioner, room and device.
    public var occupies: Bool { self == .booked || self == .checkedIn || self == .completed }

    /// Only a booked appointment may be moved to another time.
    public var canMove: Bool { self == .booked }

    /// The status machine: a booked appointment may be checked in, cancelled or marked no-show;
    /// a checked-in one may still be cancelled; completion comes only from signing the session,
    /// and nothing leaves cancelled, no-show or completed.
    public func canChange(to next: AppointmentStatus) -> Bool {
        switch (self, next) {
        case (.booked, .cancelled), (.booked, .noShow), (.booked, .checkedIn), (.checkedIn, .cancelled): true
        default: false
        }
    }
}

/// Whether a patient may be checked in for a treatment session today: not while the current
/// screening for the session's modality defers or contraindicates treatment. Follow-up visits
/// are never held back (no treatment happens at them).
public enum CheckInGate {
    /// Nil when check-in may go ahead; otherwise the reason, naming each finding and its source.
    public static func refusal(isTreatmentSession: Bool, modality: Modality, screening: ScreeningResult?) -> String? {
        guard isTreatmentSession, let screening, screening.modality == modality, screening.outcome >= .defer else { return nil }
        let findings = screening.findings.filter { $0.outcome >= .defer }
        let reasons = findings.map { "\($0.title): \($0.reason) (source: \($0.source))" }.joined(separator: "; ")
        let until = screening.deferUntil.map { " until \($0)" } ?? ""
        return "Current screening for \(modality.rawValue) is \(screening.outcome.rawValue)\(until). \(reasons)"
    }
}

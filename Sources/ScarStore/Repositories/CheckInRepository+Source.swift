extension CheckInRepository.Suspected {
    /// Where a suspected adverse event came from: a day-after check-in or a problem the patient reported.
    public enum Source: String, CaseIterable, Sendable {
        case checkIn = "check-in"
        case problemReport = "problem-report"
    }

    public var source: Source { checkInId != nil ? .checkIn : .problemReport }
}

/// Dates an intake reports about the past (issue 13, item 11): a course of isotretinoin or a topical
/// retinoid cannot have stopped on a day that has not come yet.
extension Intake {
    /// The field errors for stop dates after `today`, named as the intake's JSON names them.
    public func futureDateErrors(today: CalendarDate) -> [FieldError] {
        var errors: [FieldError] = []
        if case .stopped(let on) = isotretinoin, on > today {
            errors.append(FieldError("isotretinoin.stoppedOn", "must not be in the future (today is \(today))"))
        }
        if let on = retinoidStoppedOn, on > today {
            errors.append(FieldError("retinoidStoppedOn", "must not be in the future (today is \(today))"))
        }
        return errors
    }
}

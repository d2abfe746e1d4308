import ScarCore

/// The study API's request bodies, read by `JSONRequest` (strict: a wrong type or an unknown
/// key names its field). What each value means is decided by `StudyDesign` and the use cases.
extension StudyAPIController {
    struct DesignInput: Decodable {
        var title: String?
        var `protocol`: String?
        var armA: String?
        var armB: String?
        var outcomeScale: String?
        var timePoints: [String]?
        var targetEnrolment: Int?

        func design() throws -> StudyDesign {
            switch StudyDesign.validate(title: title, protocolSummary: self.protocol, armA: armA, armB: armB, outcomeScale: outcomeScale,
                                        timePoints: timePoints?.joined(separator: ","), targetEnrolment: targetEnrolment.map(String.init)) {
            case .success(let d): return d
            case .failure(let f): throw AppError.validation(f.errors)
            }
        }
    }

    struct EnrolInput: Decodable {
        var patientId: String?
    }

    struct RatingInput: Decodable {
        var participant: String?
        var timePoint: String?
        var side: String?
        var value: Double?

        /// The rating, or every field that is missing or out of range.
        func rating() throws -> SideRating {
            var errors: [FieldError] = []
            if participant == nil { errors.append(FieldError("participant", "is required")) }
            if timePoint == nil { errors.append(FieldError("timePoint", "is required")) }
            let side = side.flatMap(FaceSide.init(rawValue:))
            if side == nil { errors.append(FieldError("side", "must be left or right")) }
            if let value, value.isFinite, value >= 0 {} else { errors.append(FieldError("value", "must be a number of 0 or more")) }
            guard errors.isEmpty, let participant, let timePoint, let side, let value else { throw AppError.validation(errors) }
            return SideRating(participantCode: participant, timePoint: timePoint, side: side, value: value)
        }
    }
}

/// The appointment-series request body, read by `JSONRequest` (strict: a wrong type or an
/// unknown key names its field). `SeriesInput.parse` decides the order from its values as it
/// does for the booking form, so the API and the page cannot disagree on what they accept.
struct SeriesBody: Decodable {
    var modality: String?
    var count: Int?
    var intervalDays: Int?
    var minimumIntervalDays: Int?
    var windowDays: Int?
    var durationMinutes: Int?
    var start: String?
    var practitionerId: String?
    var roomId: String?
    var deviceId: String?
    var followUpMonths: [Int]?
    var planId: String?
    var planVersionId: String?

    /// A value as the text the form would send for that field.
    subscript(field: String) -> String? {
        switch field {
        case "modality": modality
        case "count": count.map(String.init)
        case "intervalDays": intervalDays.map(String.init)
        case "minimumIntervalDays": minimumIntervalDays.map(String.init)
        case "windowDays": windowDays.map(String.init)
        case "durationMinutes": durationMinutes.map(String.init)
        case "start": start
        case "practitionerId": practitionerId
        case "roomId": roomId
        case "deviceId": deviceId
        case "followUpMonths": followUpMonths.map { $0.map(String.init).joined(separator: ",") }
        case "planId": planId
        case "planVersionId": planVersionId
        default: nil
        }
    }
}

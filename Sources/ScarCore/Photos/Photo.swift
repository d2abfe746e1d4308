import Foundation

/// The standard views of a clinical photo series; close-ups also name the facial zone.
public enum PhotoView: String, Sendable, Codable, CaseIterable {
    case frontal
    case obliqueLeft = "oblique-left"
    case obliqueRight = "oblique-right"
    case lateralLeft = "lateral-left"
    case lateralRight = "lateral-right"
    case closeUp = "close-up"

    public var label: String {
        switch self {
        case .frontal: "Frontal"
        case .obliqueLeft: "Oblique left"
        case .obliqueRight: "Oblique right"
        case .lateralLeft: "Lateral left"
        case .lateralRight: "Lateral right"
        case .closeUp: "Close-up"
        }
    }
}

/// Facial zones a close-up can show (left/right are the patient's).
public enum FaceZone: String, Sendable, Codable, CaseIterable {
    case forehead
    case leftTemple = "left-temple"
    case rightTemple = "right-temple"
    case leftCheek = "left-cheek"
    case rightCheek = "right-cheek"
    case nose
    case perioral
    case chin
    case leftJawline = "left-jawline"
    case rightJawline = "right-jawline"

    public var label: String {
        rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}

/// One stored clinical photo: the file is named by `sha256`, the row says what it shows.
public struct Photo: Sendable, Equatable, Codable {
    public var id: UUID
    public var clinicId: UUID
    public var patientId: UUID
    public var sha256: String
    public var mediaType: ImageMediaType
    public var byteSize: Int
    public var width: Int
    public var height: Int
    public var view: PhotoView
    public var zone: FaceZone?
    public var capturedOn: CalendarDate
    public var assessmentId: UUID?
    public var uploadedBy: UUID
    public var uploadedAt: Date
    public var notes: String?
    /// When the camera says it took the picture ("YYYY-MM-DDTHH:MM:SS", camera local time), read
    /// from the file's metadata before it was removed; nil when the file had none.
    public var cameraCapturedAt: String?

    public init(id: UUID, clinicId: UUID, patientId: UUID, sha256: String, mediaType: ImageMediaType, byteSize: Int, width: Int,
                height: Int, view: PhotoView, zone: FaceZone?, capturedOn: CalendarDate, assessmentId: UUID?, uploadedBy: UUID,
                uploadedAt: Date, notes: String?, cameraCapturedAt: String? = nil) {
        self.id = id
        self.clinicId = clinicId
        self.patientId = patientId
        self.sha256 = sha256
        self.mediaType = mediaType
        self.byteSize = byteSize
        self.width = width
        self.height = height
        self.view = view
        self.zone = zone
        self.capturedOn = capturedOn
        self.assessmentId = assessmentId
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
        self.notes = notes
        self.cameraCapturedAt = cameraCapturedAt
    }
}

/// What staff say about a photo, validated field by field (all errors at once).
public struct PhotoDetails: Sendable, Equatable {
    public var view: PhotoView
    public var zone: FaceZone?
    public var capturedOn: CalendarDate
    public var assessmentId: UUID?
    public var notes: String?

    public static let maxNotesLength = 2000

    /// Raw text as typed or sent.
    public struct Input: Sendable, Equatable {
        public var view: String?
        public var zone: String?
        public var capturedOn: String?
        public var assessmentId: String?
        public var notes: String?

        public init(view: String? = nil, zone: String? = nil, capturedOn: String? = nil, assessmentId: String? = nil, notes: String? = nil) {
            self.view = view
            self.zone = zone
            self.capturedOn = capturedOn
            self.assessmentId = assessmentId
            self.notes = notes
        }
    }

    /// `today` is the UTC date; a capture date one day later is accepted, because the clinic's
    /// own date may already be tomorrow in UTC terms (time zones east of UTC).
    public static func validate(_ input: Input, today: CalendarDate) -> Result<PhotoDetails, ValidationFailure> {
        var errors: [FieldError] = []
        var view: PhotoView?
        switch Text.trimmed(input.view) {
        case nil: errors.append(FieldError("view", "is required"))
        case let v?:
            view = PhotoView(rawValue: v)
            if view == nil { errors.append(FieldError("view", "must be one of " + PhotoView.allCases.map(\.rawValue).joined(separator: ", "))) }
        }
        var zone: FaceZone?
        if let z = Text.trimmed(input.zone) {
            zone = FaceZone(rawValue: z)
            if zone == nil { errors.append(FieldError("zone", "must be one of " + FaceZone.allCases.map(\.rawValue).joined(separator: ", "))) }
        } else if view == .closeUp {
            errors.append(FieldError("zone", "is required for a close-up"))
        }
        var captured: CalendarDate?
        switch Text.trimmed(input.capturedOn) {
        case nil: errors.append(FieldError("capturedOn", "is required"))
        case let text?:
            if let date = CalendarDate(text) {
                let latest = today.adding(days: 1)
                if CalendarDate(date.description)! > latest {
                    errors.append(FieldError("capturedOn", "must not be in the future"))
                } else {
                    captured = date
                }
            } else {
                errors.append(FieldError("capturedOn", "must be a date written YYYY-MM-DD"))
            }
        }
        var assessmentId: UUID?
        if let a = Text.trimmed(input.assessmentId) {
            assessmentId = UUID(uuidString: a)
            if assessmentId == nil { errors.append(FieldError("assessmentId", "must be a UUID")) }
        }
        let notes = Text.trimmed(input.notes)
        if let notes {
            if notes.count > maxNotesLength { errors.append(FieldError("notes", "must be at most \(maxNotesLength) characters")) }
            if notes.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }) {
                errors.append(FieldError("notes", "must not contain control characters"))
            }
        }
        guard errors.isEmpty, let view, let captured else { return .failure(ValidationFailure(errors)) }
        // A zone sent with a whole-face view is kept only for close-ups, so it cannot mislabel.
        return .success(PhotoDetails(view: view, zone: view == .closeUp ? zone : nil, capturedOn: captured,
                                     assessmentId: assessmentId, notes: notes))
    }
}

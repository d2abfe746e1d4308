import Foundation

/// Clinic-configurable charting values.
public struct ChartingSettings: Sendable, Equatable {
    public var maxDepthMm: Double?
    public var beforePhotos: BeforePhotoRequirement
    public var thresholds: SequelaThresholds
    /// The days after a session the patient is asked to check in (default 1, 2, 3, 7).
    public var checkInDays: CheckInDays
    /// 1 while the shipped defaults are in use (nothing saved yet).
    public var version: Int

    /// The bounds the API accepts; the defaults are the literature's (sources on
    /// `BeforePhotoRequirement` and `SequelaThresholds`).
    public static let maxDepthLimitMm = 10.0
    public static let beforePhotoCountRange = 0...20
    public static let thresholdHoursRange = 1...(24 * 60)

    /// What an administrator sends; a value left out takes its default.
    public struct Input: Sendable, Equatable {
        public var maxDepthMm: Double?
        public var beforePhotoCount: Int?
        public var beforePhotoViews: [String]?
        public var erythemaHours: Int?
        public var edemaHours: Int?
        public var checkInDays: [Int]?

        public init(maxDepthMm: Double? = nil, beforePhotoCount: Int? = nil, beforePhotoViews: [String]? = nil, erythemaHours: Int? = nil,
                    edemaHours: Int? = nil, checkInDays: [Int]? = nil) {
            self.checkInDays = checkInDays
            self.maxDepthMm = maxDepthMm
            self.beforePhotoCount = beforePhotoCount
            self.beforePhotoViews = beforePhotoViews
            self.erythemaHours = erythemaHours
            self.edemaHours = edemaHours
        }
    }

    /// Each bound checked, every error reported at once.
    public static func validate(_ input: Input) -> Result<ChartingSettings, ValidationFailure> {
        var errors: [FieldError] = []
        if let d = input.maxDepthMm, !(d > 0) || d > maxDepthLimitMm || !Depth.isOnStep(d) {
            errors.append(FieldError("maxDepthMm", "must be above 0 and at most 10 mm, in 0.05 mm steps"))
        }
        let count = input.beforePhotoCount ?? BeforePhotoRequirement.default.count
        if !beforePhotoCountRange.contains(count) { errors.append(FieldError("beforePhotoCount", "must be from 0 to 20")) }
        var views: [PhotoView] = []
        for (i, raw) in (input.beforePhotoViews ?? BeforePhotoRequirement.default.views.map(\.rawValue)).enumerated() {
            if let v = PhotoView(rawValue: raw) { views.append(v) } else { errors.append(FieldError("beforePhotoViews[\(i)]", "must be a photo view")) }
        }
        let erythema = input.erythemaHours ?? SequelaThresholds.default.erythemaHours
        let edema = input.edemaHours ?? SequelaThresholds.default.edemaHours
        if !thresholdHoursRange.contains(erythema) { errors.append(FieldError("erythemaHours", "must be from 1 to 1440")) }
        if !thresholdHoursRange.contains(edema) { errors.append(FieldError("edemaHours", "must be from 1 to 1440")) }
        var days = CheckInDays.default
        if let raw = input.checkInDays {
            switch CheckInDays.parse(raw.map(String.init).joined(separator: ",")) {
            case .success(let d): days = d
            case .failure(let f): errors += f.errors
            }
        }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        return .success(ChartingSettings(maxDepthMm: input.maxDepthMm, beforePhotos: BeforePhotoRequirement(count: count, views: views),
                                         thresholds: SequelaThresholds(erythemaHours: erythema, edemaHours: edema), checkInDays: days))
    }

    public init(maxDepthMm: Double? = nil, beforePhotos: BeforePhotoRequirement = .default, thresholds: SequelaThresholds = .default,
                checkInDays: CheckInDays = .default, version: Int = 1) {
        self.checkInDays = checkInDays
        self.maxDepthMm = maxDepthMm
        self.beforePhotos = beforePhotos
        self.thresholds = thresholds
        self.version = version
    }
}

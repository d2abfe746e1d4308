import Foundation
import ScarCore
import ScarStore

/// The API's photo representation (see `Photo` in openapi.json).
struct PhotoJSON: Encodable {
    var id: String
    var patientId: String
    var sha256: String
    var mediaType: String
    var byteSize: Int
    var width: Int
    var height: Int
    var view: String
    var zone: String?
    var capturedOn: String
    var assessmentId: String?
    var notes: String?
    var uploadedBy: String
    var uploadedAt: Date
    var cameraCapturedAt: String?
    var imageURL: String

    static func url(_ id: UUID) -> String { "/api/v1/photos/\(id.lower)" }
    static func imageURL(_ id: UUID) -> String { "/photos/\(id.lower)/image" }

    init(_ p: Photo) {
        id = p.id.lower
        patientId = p.patientId.lower
        sha256 = p.sha256
        mediaType = p.mediaType.rawValue
        byteSize = p.byteSize
        width = p.width
        height = p.height
        view = p.view.rawValue
        zone = p.zone?.rawValue
        capturedOn = p.capturedOn.description
        assessmentId = p.assessmentId?.lower
        notes = p.notes
        uploadedBy = p.uploadedBy.lower
        uploadedAt = p.uploadedAt
        cameraCapturedAt = p.cameraCapturedAt
        imageURL = Self.imageURL(p.id)
    }

    // Optional fields are written as null rather than left out, so clients see every field.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patientId, forKey: .patientId)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(byteSize, forKey: .byteSize)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(view, forKey: .view)
        try c.encode(zone, forKey: .zone)
        try c.encode(capturedOn, forKey: .capturedOn)
        try c.encode(assessmentId, forKey: .assessmentId)
        try c.encode(notes, forKey: .notes)
        try c.encode(uploadedBy, forKey: .uploadedBy)
        try c.encode(uploadedAt, forKey: .uploadedAt)
        try c.encode(cameraCapturedAt, forKey: .cameraCapturedAt)
        try c.encode(imageURL, forKey: .imageURL)
    }

    enum CodingKeys: String, CodingKey {
        case id, patientId, sha256, mediaType, byteSize, width, height, view, zone, capturedOn, assessmentId, notes, uploadedBy,
             uploadedAt, cameraCapturedAt, imageURL
    }
}

struct PhotoListJSON: Encodable {
    var items: [PhotoJSON]
}

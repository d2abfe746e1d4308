import Foundation
import ScarCore
import ScarStore

/// Turns photo records into what the patient page's photo strip shows.
enum PhotoStripView {
    /// The patient page's photo strip (`{{#photoStrip}}`).
    struct Strip {
        var newURL: String
        var photos: [Item]
        /// The link to the paged list when the strip shows only the newest.
        var morePhotos: MoreRecords?
    }

    struct Item {
        var imageURL: String
        var label: String
        var capturedOn: String
        var alt: String
        var width: Int
        var height: Int
    }

    static let patientPageCard = PatientPageCard(key: "photoStrip", order: 30) { page, _ in
        strip(patientId: page.patient.id, photos: page.records.photos, total: page.records.photoCount)
    }

    /// `photos` is the newest (the strip shows at most ten), `total` how many there are.
    static func strip(patientId: UUID, photos: [Photo], total: Int) -> Strip {
        Strip(newURL: PatientLinks.url(patientId) + "/photos/new", photos: photos.prefix(MoreRecords.cardRows).map(item),
              morePhotos: .of(shown: min(photos.count, MoreRecords.cardRows), total: total, what: "photos",
                              url: PatientLinks.url(patientId) + "/photos"))
    }

    static func item(_ p: Photo) -> Item {
        let label = p.zone.map { "\(p.view.label), \($0.label)" } ?? p.view.label
        return Item(imageURL: PhotoJSON.imageURL(p.id), label: label, capturedOn: p.capturedOn.description,
                    alt: "\(label), \(p.capturedOn.description)", width: p.width, height: p.height)
    }
}

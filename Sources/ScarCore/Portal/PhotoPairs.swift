import Foundation

/// The patient's photos side by side in the portal: for each standard view with photos, the
/// first (baseline) and the latest, the same pairing the clinic's progress page uses.
public enum PhotoPairs {
    public struct Pair: Sendable, Equatable {
        public var view: PhotoView
        public var baseline: Photo
        /// Nil while the view has only one photo.
        public var latest: Photo?
    }

    public static func pairs(_ photos: [Photo]) -> [Pair] {
        PhotoView.allCases.compactMap { view in
            let same = photos.filter { $0.view == view }.sorted { ($0.capturedOn, $0.uploadedAt) < ($1.capturedOn, $1.uploadedAt) }
            guard let first = same.first else { return nil }
            return Pair(view: view, baseline: first, latest: same.count > 1 ? same.last : nil)
        }
    }
}

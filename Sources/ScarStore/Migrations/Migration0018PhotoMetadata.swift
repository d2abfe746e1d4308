/// Photos are stored without their embedded metadata (issue 11, item 1). The one fact worth
/// keeping from it, when the camera says the picture was taken, becomes a column of the record,
/// so it never has to travel inside the bytes served for research.
enum Migration0018PhotoMetadata {
    static let migration = Migration(id: "0018-photo-metadata") { _ in
        ["ALTER TABLE photos ADD COLUMN camera_captured_at TEXT"]
    }
}

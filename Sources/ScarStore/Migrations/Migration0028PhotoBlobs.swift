/// Photo bytes in the database (`DatabasePhotoStore`, `SCARTRACK_PHOTO_STORE=database`), so several
/// app servers share them. Content-addressed and shared like the folder store: a photo's row
/// (with its clinic) decides who may read it, never this table.
enum Migration0028PhotoBlobs {
    static let migration = Migration(id: "0028-photo-blobs") { _ in
        [
            """
            CREATE TABLE photo_blobs (
                sha256 TEXT PRIMARY KEY,
                media_type TEXT NOT NULL,
                byte_size {int} NOT NULL,
                bytes {bytes} NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
        ]
    }
}

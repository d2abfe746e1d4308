/// The clinic's logo: one row per clinic naming content in the photo store (`PhotoFiles`: the data
/// folder or `photo_blobs`), by its SHA-256, with the type and size sniffed from the bytes.
/// Replacing writes the row again; removing deletes it (the content stays, as photos' does).
enum Migration0033ClinicLogo {
    static let migration = Migration(id: "0033-clinic-logo") { _ in
        [
            """
            CREATE TABLE clinic_logos (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                sha256 TEXT NOT NULL,
                media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
                byte_size {int} NOT NULL,
                width {int} NOT NULL,
                height {int} NOT NULL,
                updated_at {ts} NOT NULL
            )
            """,
        ]
    }
}

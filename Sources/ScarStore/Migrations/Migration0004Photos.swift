/// Clinical photos: one row per upload; the file itself lives in the data folder, named by
/// the SHA-256 of its content (`PhotoStore`). `assessment_id` is a plain column for now; it
/// gains its foreign key once the assessments table exists.
enum Migration0004Photos {
    static let migration = Migration(id: "0004-photos") { _ in
        [
            """
            CREATE TABLE photos (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
                byte_size {int} NOT NULL CHECK (byte_size > 0),
                width {int} NOT NULL CHECK (width > 0),
                height {int} NOT NULL CHECK (height > 0),
                view TEXT NOT NULL CHECK (view IN ('frontal', 'oblique-left', 'oblique-right', 'lateral-left', 'lateral-right', 'close-up')),
                zone TEXT CHECK (zone IN ('forehead', 'left-temple', 'right-temple', 'left-cheek', 'right-cheek', 'nose', 'perioral',
                                          'chin', 'left-jawline', 'right-jawline')),
                captured_on TEXT NOT NULL,
                assessment_id {uuid},
                uploaded_by {uuid} NOT NULL REFERENCES staff_users(id),
                uploaded_at {ts} NOT NULL,
                notes TEXT,
                CHECK (view <> 'close-up' OR zone IS NOT NULL)
            )
            """,
            "CREATE INDEX photos_patient ON photos (clinic_id, patient_id, captured_on)",
            "CREATE INDEX photos_sha256 ON photos (sha256)",
        ]
    }
}

/// Two parts of issue 13's set-up:
/// - the clinic's logo: one row per clinic naming content in the photo store (`PhotoFiles`: the data
///   folder or `photo_blobs`), by its SHA-256, with the type and size sniffed from the bytes.
///   Replacing writes the row again; removing deletes it (the content stays, as photos' does);
/// - one device registry: a booking entry (`bookable_devices`) names the registered device it is
///   (`device_id`), and every device registered before gets its entry (`DeviceRegistry.backfill`:
///   linked by name and modality, or added; nothing deleted, appointments keep their device).
enum Migration0033ClinicLogo {
    static let migration = Migration(id: "0033-clinic-logo-device-registry") { _ in
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
            "ALTER TABLE bookable_devices ADD COLUMN device_id {uuid} REFERENCES devices(id)",
            "CREATE UNIQUE INDEX bookable_devices_device ON bookable_devices (device_id)",
        ] + DeviceRegistry.backfill
    }
}

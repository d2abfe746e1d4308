/// The clinic's letterhead (issue 13, item 8): address, phone and e-mail beside the name and
/// time zone it already had, with a version so two admins editing it cannot overwrite each other.
enum Migration0019ClinicProfile {
    static let migration = Migration(id: "0019-clinic-profile") { _ in
        [
            "ALTER TABLE clinics ADD COLUMN address TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE clinics ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE clinics ADD COLUMN email TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE clinics ADD COLUMN version {int} NOT NULL DEFAULT 1",
        ]
    }
}

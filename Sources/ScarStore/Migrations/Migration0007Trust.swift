/// Staff accounts: a one-time password (first start, accounts an admin adds) must be changed
/// before anything else can be used.
enum Migration0007Trust {
    static let migration = Migration(id: "0007-trust") { _ in
        [
            "ALTER TABLE staff_users ADD COLUMN must_change_password {bool} NOT NULL DEFAULT FALSE",
        ]
    }
}

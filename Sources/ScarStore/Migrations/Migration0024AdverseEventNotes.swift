/// Follow-up notes on an adverse event (issue 13, item 7): each note dated and signed by who wrote
/// it, in order, never edited. The event's own `notes` stay what was written when it was recorded.
enum Migration0024AdverseEventNotes {
    static let migration = Migration(id: "0024-adverse-event-notes") { _ in
        [
            """
            CREATE TABLE adverse_event_notes (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                adverse_event_id {uuid} NOT NULL REFERENCES adverse_events(id),
                author_id {uuid} NOT NULL REFERENCES staff_users(id),
                body TEXT NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            "CREATE INDEX adverse_event_notes_event ON adverse_event_notes (clinic_id, adverse_event_id, created_at)",
        ]
    }
}

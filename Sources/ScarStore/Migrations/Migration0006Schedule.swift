/// Calendars: practitioners' hours and absences, rooms, devices, closing days, the clinic's
/// schedule settings, appointments (with nullable `plan_id` / `plan_version_id`, whose foreign
/// keys arrive with the plans feature), the patient message outbox and iCalendar feed tokens.
///
/// Double booking is prevented in `ScheduleRepository.book`: inside one write transaction
/// (SQLite: `BEGIN IMMEDIATE`, already serialized; PostgreSQL: a per-clinic advisory lock)
/// the overlap check and the insert run together, so two desks cannot both pass the check.
enum Migration0006Schedule {
    static let migration = Migration(id: "0006-schedule") { _ in
        [
            """
            CREATE TABLE rooms (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                name TEXT NOT NULL,
                active {bool} NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX rooms_clinic_name ON rooms (clinic_id, name)",
            """
            CREATE TABLE bookable_devices (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                name TEXT NOT NULL,
                modality TEXT NOT NULL CHECK (modality IN ('microneedling', 'rf-microneedling')),
                active {bool} NOT NULL,
                created_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX bookable_devices_clinic_name ON bookable_devices (clinic_id, name)",
            """
            CREATE TABLE practitioner_hours (
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                staff_id {uuid} NOT NULL REFERENCES staff_users(id),
                weekday {int} NOT NULL CHECK (weekday BETWEEN 1 AND 7),
                start_minute {int} NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
                end_minute {int} NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
                CHECK (start_minute < end_minute),
                PRIMARY KEY (staff_id, weekday, start_minute)
            )
            """,
            """
            CREATE TABLE practitioner_absences (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                staff_id {uuid} NOT NULL REFERENCES staff_users(id),
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                reason TEXT,
                CHECK (starts_on <= ends_on)
            )
            """,
            "CREATE INDEX practitioner_absences_staff ON practitioner_absences (staff_id, starts_on)",
            """
            CREATE TABLE closing_days (
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                day TEXT NOT NULL,
                reason TEXT,
                PRIMARY KEY (clinic_id, day)
            )
            """,
            """
            CREATE TABLE schedule_settings (
                clinic_id {uuid} PRIMARY KEY REFERENCES clinics(id),
                microneedling_minutes {int} NOT NULL CHECK (microneedling_minutes BETWEEN 5 AND 480),
                rf_microneedling_minutes {int} NOT NULL CHECK (rf_microneedling_minutes BETWEEN 5 AND 480),
                follow_up_minutes {int} NOT NULL CHECK (follow_up_minutes BETWEEN 5 AND 480),
                minimum_interval_days {int} NOT NULL CHECK (minimum_interval_days BETWEEN 1 AND 365),
                window_days {int} NOT NULL CHECK (window_days BETWEEN 0 AND 60),
                follow_up_months TEXT NOT NULL,
                retinoid_pause_days {int} NOT NULL CHECK (retinoid_pause_days BETWEEN 0 AND 90),
                antiviral_lead_days {int} NOT NULL CHECK (antiviral_lead_days BETWEEN 0 AND 90),
                updated_at {ts} NOT NULL,
                version {int} NOT NULL
            )
            """,
            """
            CREATE TABLE appointments (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                series_id {uuid} NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('session', 'follow-up')),
                number {int} NOT NULL,
                modality TEXT NOT NULL CHECK (modality IN ('microneedling', 'rf-microneedling')),
                practitioner_id {uuid} NOT NULL REFERENCES staff_users(id),
                room_id {uuid} NOT NULL REFERENCES rooms(id),
                device_id {uuid} REFERENCES bookable_devices(id),
                starts_at {ts} NOT NULL,
                ends_at {ts} NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('booked', 'checked-in', 'cancelled', 'no-show')),
                minimum_interval_days {int} NOT NULL,
                plan_id {uuid},
                plan_version_id {uuid},
                ical_sequence {int} NOT NULL,
                created_by {uuid} NOT NULL REFERENCES staff_users(id),
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                version {int} NOT NULL,
                CHECK (starts_at < ends_at)
            )
            """,
            "CREATE INDEX appointments_practitioner ON appointments (practitioner_id, starts_at)",
            "CREATE INDEX appointments_room ON appointments (room_id, starts_at)",
            "CREATE INDEX appointments_device ON appointments (device_id, starts_at)",
            "CREATE INDEX appointments_patient ON appointments (clinic_id, patient_id, starts_at)",
            "CREATE INDEX appointments_series ON appointments (series_id)",
            """
            CREATE TABLE message_outbox (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                appointment_id {uuid} NOT NULL REFERENCES appointments(id),
                kind TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                source TEXT,
                due_at {ts} NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'withdrawn', 'failed')),
                idempotency_key TEXT NOT NULL,
                attempts {int} NOT NULL,
                lease_until {ts},
                claimed_by TEXT,
                sent_at {ts},
                last_error TEXT,
                created_at {ts} NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX message_outbox_key ON message_outbox (idempotency_key)",
            "CREATE INDEX message_outbox_due ON message_outbox (status, due_at)",
            "CREATE INDEX message_outbox_appointment ON message_outbox (appointment_id)",
            """
            CREATE TABLE ical_tokens (
                id {uuid} PRIMARY KEY,
                clinic_id {uuid} NOT NULL REFERENCES clinics(id),
                patient_id {uuid} NOT NULL REFERENCES patients(id),
                token_hash TEXT NOT NULL,
                created_at {ts} NOT NULL,
                revoked_at {ts}
            )
            """,
            "CREATE UNIQUE INDEX ical_tokens_hash ON ical_tokens (token_hash)",
        ]
    }
}

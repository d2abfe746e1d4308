/// The forms the clinic has recorded patient-reported outcomes with (instrument, version, every
/// item answered, whether a satisfaction rating came with it), kept up to date by the one writer
/// of outcomes in the same transaction, so the clinic's Questionnaire list reads one row per form
/// instead of every answer ever recorded (issue 15). Existing answers are summed up once here.
enum Migration0034OutcomeForms {
    static let migration = Migration(id: "0034-outcome-forms") { engine in
        ["""
         CREATE TABLE outcome_forms (
             clinic_id {uuid} NOT NULL REFERENCES clinics(id),
             instrument TEXT NOT NULL,
             instrument_version TEXT NOT NULL,
             item_ids {json} NOT NULL,
             has_satisfaction {bool} NOT NULL,
             last_recorded_at {ts} NOT NULL,
             PRIMARY KEY (clinic_id, instrument, instrument_version)
         )
         """, rebuild(engine)]
    }

    /// Every form summed up from the stored answers (item ids sorted); `outcome_forms` must be empty.
    static func rebuild(_ engine: Engine) -> String {
        let itemIds = switch engine {
        case .sqlite: """
            (SELECT json_group_array(key) FROM (SELECT DISTINCT j.key AS key FROM patient_reported_outcomes q, json_each(q.responses) j
                WHERE q.clinic_id = p.clinic_id AND q.instrument = p.instrument AND q.instrument_version = p.instrument_version ORDER BY j.key))
            """
        case .postgres: """
            COALESCE((SELECT json_agg(k ORDER BY k)::text FROM (SELECT DISTINCT jsonb_object_keys(q.responses::jsonb) AS k
                FROM patient_reported_outcomes q WHERE q.clinic_id = p.clinic_id AND q.instrument = p.instrument
                AND q.instrument_version = p.instrument_version) keys), '[]')
            """
        }
        let rated = engine == .sqlite ? "MAX(CASE WHEN p.satisfaction IS NULL THEN 0 ELSE 1 END)" : "bool_or(p.satisfaction IS NOT NULL)"
        return """
            INSERT INTO outcome_forms (clinic_id, instrument, instrument_version, item_ids, has_satisfaction, last_recorded_at)
            SELECT p.clinic_id, p.instrument, p.instrument_version, \(itemIds), \(rated), MAX(p.recorded_at)
            FROM patient_reported_outcomes p GROUP BY p.clinic_id, p.instrument, p.instrument_version
            """
    }
}

/// Plain words for audit actions, as the patient's access log and the audit page show them; the
/// audit page keeps the exact action codes beside them.
enum AuditActionLabels {
    static let all = [
        "patient.read": "Viewed", "patient.update": "Edited", "patient.create": "Registered",
        "intake.create": "Recorded an intake", "intake.list": "Looked at the intakes", "screening.read": "Looked at the screening",
        "screening.create": "Screening stored", "screening.acknowledge": "Acknowledged a finding",
        "assessment.create": "Recorded a scar assessment", "assessment.read": "Viewed a scar assessment",
        "assessment.list": "Looked at the scar assessments",
        "photo.create": "Added a photo", "photo.list": "Looked at the photos", "photo.read": "Read photo details",
        "photo.view": "Viewed a photo",
        "appointment.book": "Booked a series", "appointment.list": "Looked at the appointments",
        "appointment.read": "Opened an appointment", "appointment.reschedule": "Moved an appointment",
        "appointment.checked-in": "Checked in", "appointment.cancelled": "Cancelled an appointment",
        "appointment.no-show": "Marked a no-show", "pro.create": "Recorded a reported outcome",
        "pro.list": "Looked at reported outcomes", "study.enrol": "Enrolled in a study", "study.rate": "Rated for a study",
        "plan.create": "Started a treatment plan", "plan.read": "Viewed a treatment plan", "plan.list": "Looked at the treatment plans", "plan.update": "Edited a treatment plan draft", "plan.version": "Started a new treatment plan version", "plan.approve": "Approved a treatment plan",
        "session.create": "Started a session chart", "session.read": "Opened a session chart", "session.list": "Looked at the session charts",
        "session.update": "Edited a session draft", "session.sign": "Signed a session", "session.amend": "Amended a signed session",
        "adverse-event.create": "Recorded an adverse event", "adverse-event.update": "Updated an adverse event",
        "adverse-event.list": "Looked at the adverse events", "consent.sign": "Signed a consent", "consent.withdraw": "Withdrew a consent",
        "consent.read": "Opened a signed consent", "consent.list": "Looked at the consents",
        "ical.patient.read": "Calendar feed fetched", "ical.token.create": "Created a calendar link", "ical.token.revoke": "Revoked a calendar link",
        "recall.search": "Found in a recall search", "report.read": "Printed the course report",
        "analytics.view": "Viewed clinic analytics", "analytics.export": "Downloaded clinic analytics (CSV)",
        "analytics.settings": "Changed the analytics depth bands", "research.export": "Downloaded the de-identified research export",
        "appointment.complete": "Session signed: appointment completed", "room.update": "Changed a room", "device.update": "Changed a bookable device",
        "postcare.version": "Saved a new post-care sheet version",
        "portal.invite": "Invited to the patient portal", "portal.revoke": "Ended portal access",
        "portal.code-request": "Asked for a portal sign-in code", "portal.sign-in": "Signed in to the portal",
        "portal.sign-in-failed": "Portal sign-in with a wrong or used code", "portal.sign-in-throttled": "Portal sign-in held back (too many attempts)",
        "portal.sign-out": "Signed out of the portal",
    ]
}

import Foundation
import Mustache

/// Every page template the server renders, by file name (without `.mustache`). The app does
/// not start when one is missing (`Views.load` names it), so a typo or a deleted file is found
/// at start, not by the first user who opens that page.
enum Template: String, CaseIterable, Sendable {
    case accountPassword = "account-password"
    case accountTwoFactor = "account-two-factor"
    case adminImport = "admin-import"
    case adminStaff = "admin-staff"
    case adverseEvent = "adverse-event"
    case adverseEventForm = "adverse-event-form"
    case adverseEvents = "adverse-events"
    case analytics
    case appointment
    case assessment
    case assessmentForm = "assessment-form"
    case audit
    case calendarLink = "calendar-link"
    case chartingInventory = "charting-inventory"
    case clinicSettings = "clinic-settings"
    case clinicSetUp = "clinic-set-up"
    case portalSettings = "portal-settings"
    case consent
    case consentForm = "consent-form"
    case consentTemplates = "consent-templates"
    case courseReport = "course-report"
    case error
    case followUpVisit = "follow-up-visit"
    case home
    case intakeForm = "intake-form"
    case patient
    case patientForm = "patient-form"
    case patientMode = "patient-mode"
    case patients
    case photoForm = "photo-form"
    case plan
    case planForm = "plan-form"
    case portalAftercare = "portal-aftercare"
    case portalBefore = "portal-before"
    case portalChange = "portal-change"
    case portalCode = "portal-code"
    case portalFollowUp = "portal-follow-up"
    case portalConsent = "portal-consent"
    case portalHome = "portal-home"
    case portalIntake = "portal-intake"
    case portalInvited = "portal-invited"
    case portalLink = "portal-link"
    case portalPhotos = "portal-photos"
    case portalPostCare = "portal-post-care"
    case portalQuestions = "portal-questions"
    case portalReport = "portal-report"
    case portalSignin = "portal-signin"
    case postcare
    case postcareTemplates = "postcare-templates"
    case progress
    case protocolTemplate = "protocol-template"
    case protocolTemplateForm = "protocol-template-form"
    case protocolTemplates = "protocol-templates"
    case patientRecordList = "patient-record-list"
    case recall
    case rules
    case scheduleAdmin = "schedule-admin"
    case scheduleBook = "schedule-book"
    case scheduleDay = "schedule-day"
    case scheduleOutbox = "schedule-outbox"
    case scheduleWeek = "schedule-week"
    case session
    case sessionForm = "session-form"
    case sessionList = "session-list"
    case signin
    case signinCode = "signin-code"
    case studies
    case study
    case today
}

/// Partials the page templates include (`{{> name}}`); checked at start like the pages.
enum TemplatePartial: String, CaseIterable, Sendable {
    case layout
    case planField = "plan-field"
    case clinicLogoForm = "clinic-logo-form"
    case setUpField = "set-up-field"
    case planScreening = "plan-screening"
    case planVersion = "plan-version"
    case portalLayout = "portal-layout"
    case sessionChart = "session-chart"
    case safetyBanner = "safety-banner"
    case consentDocument = "consent-document"
    case consentSignature = "consent-signature"
}

extension MustacheLibrary {
    /// The names of the listed templates and partials this library does not have.
    func missing() -> [String] {
        (Template.allCases.map(\.rawValue) + TemplatePartial.allCases.map(\.rawValue)).filter { getTemplate(named: $0) == nil }
    }
}

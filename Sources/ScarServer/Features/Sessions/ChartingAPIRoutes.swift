import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The charting API: devices and lots, charting settings, consent templates and consents,
/// sessions (draft → checklist → signed → amendments), post-care, adverse events, recall.
enum ChartingAPIRoutes {
    static let clinicians = AccessPolicy.staff([.admin, .practitioner])

    struct AmendmentInput: Decodable {
        var reason: String?
        var chart: SessionChart.Input?
    }

    struct SessionCreateInput: Decodable {
        var chart: SessionChart.Input?
        var appointmentId: String?
        var planVersionId: String?
    }

    struct SignInput: Decodable {
        var dayAnswers: DayAnswers?
    }

    struct ConsentInput: Decodable {
        var kind: String?
        var signerName: String?
        var agreed: Bool?
        var signaturePng: String?
    }

    struct TemplateInput: Decodable {
        var kind: String?
        var title: String?
        var body: String?
    }

    struct WithdrawalInput: Decodable {
        var reason: String?
    }

    struct QuantityInput: Decodable {
        var quantity: Int?
    }

    struct SettingsInput: Decodable {
        var maxDepthMm: Double?
        var beforePhotoCount: Int?
        var beforePhotoViews: [String]?
        var erythemaHours: Int?
        var edemaHours: Int?
    }

    struct SettingsJSON: Encodable {
        var maxDepthMm: Double?
        var beforePhotoCount: Int
        var beforePhotoViews: [String]
        var erythemaHours: Int
        var edemaHours: Int
        var thresholdSource: String
        var photoSource: String
        var version: Int
        init(_ s: ChartingSettings) {
            maxDepthMm = s.maxDepthMm
            beforePhotoCount = s.beforePhotos.count
            beforePhotoViews = s.beforePhotos.views.map(\.rawValue)
            erythemaHours = s.thresholds.erythemaHours
            edemaHours = s.thresholds.edemaHours
            thresholdSource = SequelaThresholds.source
            photoSource = BeforePhotoRequirement.source
            version = s.version
        }
    }

    static func etagHeaders(_ version: Int) -> HTTPFields {
        var h = HTTPFields()
        h[.eTag] = ETag.make(version)
        return h
    }

    static func ifMatch(_ request: Request) throws -> Int {
        guard let v = try ETag.version(ifMatch: request.headers[.ifMatch]) else { throw AppError.versionRequired }
        return v
    }

    static func optionalUUID(_ raw: String?, _ field: String) throws -> UUID? {
        guard let raw = Text.trimmed(raw) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw AppError.validation([FieldError(field, "must be a UUID")]) }
        return id
    }

    /// Validates a chart against the clinic's devices, lots and settings.
    static func check(_ input: SessionChart.Input, context: AppContext, charting: ChartingServices) async throws -> SessionChart.Checked {
        let (limits, _) = try await charting.sessions.limits(clinicId: context.user!.clinicId, today: context.today)
        return try ChartingErrors.validated(SessionChart.validate(input, limits: limits))
    }

    /// Checks that a session's appointment is a session appointment of this patient, still open;
    /// the session then follows the appointment's plan version unless one is given.
    static func appointmentLink(_ id: UUID?, patientId: UUID, context: AppContext,
                                services: AppServices) async throws -> (errors: [FieldError], planVersionId: UUID?) {
        guard let id else { return ([], nil) }
        guard let a = try? await services.schedule.appointment(id: id, clinicId: context.user!.clinicId, by: context.auditActor),
              a.patientId == patientId else { return ([FieldError("appointmentId", "is not an appointment of this patient")], nil) }
        guard a.kind == .session else { return ([FieldError("appointmentId", "is a follow-up visit, not a treatment session")], nil) }
        guard a.status == .booked || a.status == .checkedIn else {
            return ([FieldError("appointmentId", "is \(a.status.rawValue); chart a booked or checked-in session")], nil)
        }
        return ([], a.planVersionId)
    }

    static func amend(_ id: UUID, reason: String?, chart: SessionChart.Input?, context: AppContext, charting: ChartingServices) async throws -> SessionRecord {
        let user = context.user!
        var errors: [FieldError] = []
        let reasonText = Text.trimmed(reason)
        if reasonText == nil || reasonText!.count < 10 { errors.append(FieldError("reason", "is required (at least 10 characters)")) }
        guard let chart else { throw AppError.validation(errors + [FieldError("chart", "is required")]) }
        if !errors.isEmpty { throw AppError.validation(errors) }
        let session = try await charting.sessions.find(id: id, clinicId: user.clinicId, by: nil)
        guard session.status == .signed else { throw ChartingStoreError.notSigned }
        let (limits, _) = try await charting.sessions.limits(clinicId: user.clinicId, today: context.today)
        let relaxed = limits
        let checked = try ChartingErrors.validated(SessionChart.validate(chart, limits: relaxed))
        let changed = SessionChart.changedFields(session.currentChart, checked.chart)
        if changed.isEmpty { throw AppError.validation([FieldError("chart", "changes nothing")]) }
        let notAmendable = changed.filter { !SessionChart.amendableFields.contains($0) }
        if !notAmendable.isEmpty {
            throw AppError.validation(notAmendable.map { FieldError("chart.\($0)", "cannot be amended after signing (traceability); only \(SessionChart.amendableFields.joined(separator: ", ")) can") })
        }
        return try await charting.sessions.amend(id: id, clinicId: user.clinicId, reason: reasonText!, after: checked.chart, authorId: user.id,
                                                 by: context.auditActor)
    }

    static func settingsFrom(_ input: SettingsInput) throws -> ChartingSettings {
        var errors: [FieldError] = []
        if let d = input.maxDepthMm, !(d > 0) || d > 10 || !Depth.isOnStep(d) { errors.append(FieldError("maxDepthMm", "must be above 0 and at most 10 mm, in 0.05 mm steps")) }
        let count = input.beforePhotoCount ?? BeforePhotoRequirement.default.count
        if count < 0 || count > 20 { errors.append(FieldError("beforePhotoCount", "must be from 0 to 20")) }
        var views: [PhotoView] = []
        for (i, raw) in (input.beforePhotoViews ?? BeforePhotoRequirement.default.views.map(\.rawValue)).enumerated() {
            if let v = PhotoView(rawValue: raw) { views.append(v) } else { errors.append(FieldError("beforePhotoViews[\(i)]", "must be a photo view")) }
        }
        let e = input.erythemaHours ?? SequelaThresholds.default.erythemaHours
        let o = input.edemaHours ?? SequelaThresholds.default.edemaHours
        if e < 1 || e > 24 * 60 { errors.append(FieldError("erythemaHours", "must be from 1 to 1440")) }
        if o < 1 || o > 24 * 60 { errors.append(FieldError("edemaHours", "must be from 1 to 1440")) }
        if !errors.isEmpty { throw AppError.validation(errors) }
        return ChartingSettings(maxDepthMm: input.maxDepthMm, beforePhotos: BeforePhotoRequirement(count: count, views: views),
                                thresholds: SequelaThresholds(erythemaHours: e, edemaHours: o))
    }

    static func add(to routes: Routes, services: AppServices) {
        let charting = ChartingServices(services)
        let limit = services.configuration.maxJSONBodyBytes

        // MARK: Devices and lots
        routes.api(.get, "/api/v1/devices", .clinicalStaff, "List the clinic's devices") { _, context in
            try JSON.response(try await charting.devices.devices(clinicId: context.user!.clinicId).map(DeviceJSON.init))
        }
        routes.api(.post, "/api/v1/devices", .adminOnly, "Register a device") { request, context in
            let input = try await StrictJSON.decode(DeviceDetails.Input.self, from: request, limit: limit)
            let details = try ChartingErrors.validated(DeviceDetails.validate(input))
            let device = try await charting.devices.addDevice(details, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(DeviceJSON(device), status: .created, headers: etagHeaders(device.version))
        }
        routes.api(.patch, "/api/v1/devices/:id", .adminOnly, "Edit a device (merge patch, If-Match required)") { request, context in
            let id = try PathParameters.uuid(context)
            let expected = try ifMatch(request)
            let patch = try await StrictJSON.decode(DeviceDetails.Input.self, from: request, limit: limit)
            let device = try await charting.devices.updateDevice(id: id, clinicId: context.user!.clinicId, expectedVersion: expected,
                                                                 by: context.auditActor) { current in
                let d = current.details
                let merged = DeviceDetails.Input(
                    model: patch.model ?? d.model, manufacturer: patch.manufacturer ?? d.manufacturer, type: patch.type ?? d.type.rawValue,
                    maxDepthMm: patch.maxDepthMm ?? d.maxDepthMm, needleGeometry: patch.needleGeometry ?? d.needleGeometry,
                    needleCount: patch.needleCount ?? d.needleCount, punctureRate: patch.punctureRate ?? d.punctureRate,
                    serialNumber: patch.serialNumber ?? d.serialNumber, lastServiceOn: patch.lastServiceOn ?? d.lastServiceOn?.description,
                    nextServiceDue: patch.nextServiceDue ?? d.nextServiceDue?.description, active: patch.active ?? d.active)
                return try ChartingErrors.validated(DeviceDetails.validate(merged))
            }
            return try JSON.response(DeviceJSON(device), headers: etagHeaders(device.version))
        }
        routes.api(.get, "/api/v1/lots", .clinicalStaff, "List the clinic's consumable lots") { _, context in
            let today = context.today
            return try JSON.response(try await charting.devices.lots(clinicId: context.user!.clinicId).map { LotJSON($0, today: today) })
        }
        routes.api(.post, "/api/v1/lots", .adminOnly, "Receive a consumable lot") { request, context in
            let input = try await StrictJSON.decode(LotDetails.Input.self, from: request, limit: limit)
            let details = try ChartingErrors.validated(LotDetails.validate(input, today: context.today))
            let lot = try await charting.devices.addLot(details, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(LotJSON(lot, today: context.today), status: .created, headers: etagHeaders(lot.version))
        }
        routes.api(.patch, "/api/v1/lots/:id", .adminOnly, "Correct a lot's quantity on hand (If-Match required)") { request, context in
            let id = try PathParameters.uuid(context)
            let expected = try ifMatch(request)
            let input = try await StrictJSON.decode(QuantityInput.self, from: request, limit: limit)
            guard let q = input.quantity, q >= 0, q <= 1_000_000 else { throw AppError.validation([FieldError("quantity", "must be from 0 to 1000000")]) }
            let lot = try await charting.devices.updateLotQuantity(id: id, clinicId: context.user!.clinicId, expectedVersion: expected, quantity: q,
                                                                   by: context.auditActor)
            return try JSON.response(LotJSON(lot, today: context.today), headers: etagHeaders(lot.version))
        }
        routes.api(.get, "/api/v1/charting-settings", .clinicalStaff, "The clinic's charting settings") { _, context in
            let s = try await charting.devices.settings(clinicId: context.user!.clinicId)
            return try JSON.response(SettingsJSON(s), headers: etagHeaders(s.version))
        }
        routes.api(.put, "/api/v1/charting-settings", .adminOnly, "Change the clinic's charting settings (If-Match required)") { request, context in
            let expected = try ifMatch(request)
            let input = try await StrictJSON.decode(SettingsInput.self, from: request, limit: limit)
            let s = try await charting.devices.saveSettings(try settingsFrom(input), clinicId: context.user!.clinicId, expectedVersion: expected,
                                                            by: context.auditActor)
            return try JSON.response(SettingsJSON(s), headers: etagHeaders(s.version))
        }

        // MARK: Consent
        routes.api(.get, "/api/v1/consent-templates", .clinicalStaff, "Every version of the clinic's consent templates") { _, context in
            struct T: Encodable { var id: String; var kind: String; var version: Int; var title: String; var body: String; var createdAt: Date }
            return try JSON.response(try await charting.consents.templates(clinicId: context.user!.clinicId).map {
                T(id: $0.id.lower, kind: $0.details.kind.rawValue, version: $0.version, title: $0.details.title, body: $0.details.body, createdAt: $0.createdAt)
            })
        }
        routes.api(.post, "/api/v1/consent-templates", .adminOnly, "Add a new version of a consent template") { request, context in
            let input = try await StrictJSON.decode(TemplateInput.self, from: request, limit: limit)
            let d = try ChartingErrors.validated(ConsentTemplateDetails.validate(kind: input.kind, title: input.title, body: input.body))
            let t = try await charting.consents.addTemplate(d, clinicId: context.user!.clinicId, authorId: context.user!.id, by: context.auditActor)
            struct T: Encodable { var id: String; var kind: String; var version: Int }
            return try JSON.response(T(id: t.id.lower, kind: t.details.kind.rawValue, version: t.version), status: .created)
        }
        routes.api(.get, "/api/v1/patients/:id/consents", .clinicalStaff, "A patient's signed consents and withdrawals") { _, context in
            let list = try await charting.consents.list(patientId: try PathParameters.uuid(context), clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(list.map(ConsentJSON.init))
        }
        routes.api(.post, "/api/v1/patients/:id/consents", .clinicalStaff, "Record a patient's signed consent") { request, context in
            let patientId = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(ConsentInput.self, from: request, limit: limit)
            let consent = try await signConsent(patientId: patientId, kind: input.kind, signerName: input.signerName, agreed: input.agreed ?? false,
                                                png: input.signaturePng, context: context, services: services)
            return try JSON.response(ConsentJSON(consent), status: .created)
        }
        routes.api(.post, "/api/v1/consents/:id/withdrawal", .clinicalStaff, "Record the withdrawal of a consent") { request, context in
            let id = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(WithdrawalInput.self, from: request, limit: limit)
            try await withdrawConsent(id, reason: input.reason, context: context, services: services)
            return try JSON.response(ConsentJSON(try await charting.consents.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)))
        }

        // MARK: Sessions
        routes.api(.get, "/api/v1/patients/:id/sessions", .clinicalStaff, "A patient's sessions, newest first") { _, context in
            let list = try await charting.sessions.list(patientId: try PathParameters.uuid(context), clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(list.map(SessionJSON.init))
        }
        routes.api(.post, "/api/v1/patients/:id/sessions", clinicians, "Start a session chart (a draft)") { request, context in
            let patientId = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(SessionCreateInput.self, from: request, limit: limit)
            let appointment = try optionalUUID(input.appointmentId, "appointmentId")
            let link = try await appointmentLink(appointment, patientId: patientId, context: context, services: services)
            if !link.errors.isEmpty { throw AppError.validation(link.errors) }
            let plan = try optionalUUID(input.planVersionId, "planVersionId") ?? link.planVersionId
            let checked = try await check(input.chart ?? SessionChart.Input(), context: context, charting: charting)
            let s = try await charting.sessions.create(checked, patientId: patientId, clinicId: context.user!.clinicId, practitionerId: context.user!.id,
                                                       appointmentId: appointment, planVersionId: plan, by: context.auditActor)
            var headers = etagHeaders(s.version)
            headers[.location] = "/api/v1/sessions/\(s.id.lower)"
            return try JSON.response(SessionJSON(s), status: .created, headers: headers)
        }
        routes.api(.get, "/api/v1/sessions/:id", .clinicalStaff, "Read a session with its amendments") { _, context in
            let s = try await charting.sessions.find(id: try PathParameters.uuid(context), clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(SessionJSON(s), headers: etagHeaders(s.version))
        }
        routes.api(.put, "/api/v1/sessions/:id", clinicians, "Save a draft chart (If-Match required; 409 once signed)") { request, context in
            let id = try PathParameters.uuid(context)
            let expected = try ifMatch(request)
            let input = try await StrictJSON.decode(SessionChart.Input.self, from: request, limit: limit)
            let s = try await ChartingErrors.map {
                let current = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: nil)
                guard current.status == .draft else { throw ChartingStoreError.signed }
                let checked = try await check(input, context: context, charting: charting)
                return try await charting.sessions.update(id: id, clinicId: context.user!.clinicId, expectedVersion: expected, checked: checked,
                                                          by: context.auditActor)
            }
            return try JSON.response(SessionJSON(s), headers: etagHeaders(s.version))
        }
        routes.api(.post, "/api/v1/sessions/:id/checklist", clinicians, "Evaluate the pre-session checklist with today's answers") { request, context in
            let id = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(SignInput.self, from: request, limit: limit)
            _ = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            let checked = try await CheckSession(services.database)(sessionId: id, dayAnswers: input.dayAnswers, by: context.clinician)
            struct R: Encodable { var passed: Bool; var items: [PreSessionChecklist.Item] }
            return try JSON.response(R(passed: checked.result.passed, items: checked.result.items))
        }
        routes.api(.post, "/api/v1/sessions/:id/sign", clinicians, "Sign a draft (If-Match required): the checklist must pass; the chart becomes immutable") { request, context in
            let id = try PathParameters.uuid(context)
            let expected = try ifMatch(request)
            let input = try await StrictJSON.decode(SignInput.self, from: request, limit: limit)
            let signed = try await ChartingErrors.map {
                try await SignSession(services.database)(.init(sessionId: id, expectedVersion: expected, dayAnswers: input.dayAnswers),
                                                         by: context.clinician, actor: context.auditActor)
            }
            return try JSON.response(SessionJSON(signed.session, completion: signed.completion), headers: etagHeaders(signed.session.version))
        }
        routes.api(.post, "/api/v1/sessions/:id/amendments", clinicians, "Amend a signed session (reason and corrected chart)") { request, context in
            let id = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(AmendmentInput.self, from: request, limit: limit)
            let s = try await ChartingErrors.map { try await amend(id, reason: input.reason, chart: input.chart, context: context, charting: charting) }
            return try JSON.response(SessionJSON(s), status: .created, headers: etagHeaders(s.version))
        }
        routes.api(.get, "/api/v1/sessions/:id/post-care", .clinicalStaff, "The post-care sheet given with a session") { _, context in
            let s = try await charting.sessions.find(id: try PathParameters.uuid(context), clinicId: context.user!.clinicId, by: context.auditActor)
            let template = try await charting.postcare.recorded(s)
            return try JSON.response(template)
        }

        // MARK: Adverse events
        routes.api(.get, "/api/v1/patients/:id/adverse-events", .clinicalStaff, "A patient's adverse events") { _, context in
            let list = try await charting.adverseEvents.list(patientId: try PathParameters.uuid(context), openOnly: false, clinicId: context.user!.clinicId,
                                                              by: context.auditActor)
            return try JSON.response(list.map(AdverseEventJSON.init))
        }
        routes.api(.post, "/api/v1/patients/:id/adverse-events", .clinicalStaff, "Record an adverse event") { request, context in
            let patientId = try PathParameters.uuid(context)
            let input = try await StrictJSON.decode(AdverseEventDetails.Input.self, from: request, limit: limit)
            let r = try await recordAdverseEvent(input, patientId: patientId, context: context, services: services)
            return try JSON.response(AdverseEventJSON(r), status: .created, headers: etagHeaders(r.version))
        }
        routes.api(.get, "/api/v1/adverse-events", .clinicalStaff, "The clinic's adverse events (open only with ?open=true)") { request, context in
            let open = try QueryValues.oneOf(request.uri.queryParameters.get("open"), "open", ["true", "false"]) == "true"
            let list = try await charting.adverseEvents.list(patientId: nil, openOnly: open, clinicId: context.user!.clinicId, by: context.auditActor)
            return try JSON.response(list.map(AdverseEventJSON.init))
        }
        routes.api(.patch, "/api/v1/adverse-events/:id", .clinicalStaff, "Update an adverse event's grade, outcome or resolution (If-Match required)") { request, context in
            let id = try PathParameters.uuid(context)
            let expected = try ifMatch(request)
            let patch = try await StrictJSON.decode(AdverseEventDetails.Input.self, from: request, limit: limit)
            let change = UpdateAdverseEvent.Change(grade: patch.grade, serious: patch.serious, relatedness: patch.relatedness,
                                                   actionTaken: patch.actionTaken, outcome: patch.outcome, resolvedOn: patch.resolvedOn, notes: patch.notes)
            let r = try await UpdateAdverseEvent(services.database)(id: id, expectedVersion: expected, change: change, by: context.clinician,
                                                                    actor: context.auditActor)
            return try JSON.response(AdverseEventJSON(r), headers: etagHeaders(r.version))
        }

        // MARK: Recall
        routes.api(.get, "/api/v1/recall", clinicians, "Which patients were treated with a lot (?lot=) or a device (?serial=), when, by whom") { request, context in
            let rows = try await recall(request, context: context, charting: charting)
            return try JSON.response(rows.map(RecallJSON.init))
        }
    }

    static func recall(_ request: Request, context: AppContext, charting: ChartingServices) async throws -> [RecallRow] {
        let q = request.uri.queryParameters
        let lot = Text.normalized(q.get("lot"))
        let serial = Text.normalized(q.get("serial"))
        guard lot != nil || serial != nil else {
            throw AppError.validation([FieldError("lot", "or serial is required")])
        }
        return try await charting.sessions.recall(lotNumber: lot, serialNumber: serial, clinicId: context.user!.clinicId, by: context.auditActor)
    }

    static func signConsent(patientId: UUID, kind: String?, signerName: String?, agreed: Bool, png: String?, context: AppContext,
                            services: AppServices) async throws -> ConsentRepository.SignedConsent {
        try await ChartingErrors.map {
            try await SignConsent(services.database)(.init(kind: kind, signerName: signerName, agreed: agreed, drawnPNG: png,
                                                           clinicName: context.session?.clinicName ?? ""),
                                                     patientId: patientId, by: context.clinician, actor: context.auditActor)
        }
    }

    static func withdrawConsent(_ id: UUID, reason: String?, context: AppContext, services: AppServices) async throws {
        try await ChartingErrors.map {
            try await WithdrawConsent(services.database)(consentId: id, reason: reason, by: context.clinician, actor: context.auditActor)
        }
    }

    static func recordAdverseEvent(_ input: AdverseEventDetails.Input, patientId: UUID, context: AppContext,
                                   services: AppServices) async throws -> AdverseEventRepository.Record {
        try await ChartingErrors.map {
            try await RecordAdverseEvent(services.database)(input, patientId: patientId, by: context.clinician, actor: context.auditActor)
        }
    }
}

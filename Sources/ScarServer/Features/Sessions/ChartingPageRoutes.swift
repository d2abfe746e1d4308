import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// Charting pages: devices and lots (admin), consent templates and signing, the session chart
/// (draft form → checklist → signature → amendments), post-care printout, adverse events, recall.
enum ChartingPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let charting = ChartingServices(services)
        let views = services.views
        PostCarePageRoutes.add(to: routes, services: services)
        let clinicians = ChartingAPIRoutes.clinicians

        // MARK: Devices and lots
        @Sendable func inventoryPage(_ context: AppContext, deviceErrors: [FieldError] = [], lotErrors: [FieldError] = [], form: FormBody? = nil,
                           status: HTTPResponse.Status = .ok) async throws -> Response {
            let clinicId = context.user!.clinicId
            let today = context.today
            let devices = try await charting.devices.devices(clinicId: clinicId)
            let lots = try await charting.devices.lots(clinicId: clinicId)
            return views.render("charting-inventory", title: "Devices and lots", section: "inventory", data: [
                "devices": devices.map { d in
                    ["model": d.details.model, "manufacturer": d.details.manufacturer, "type": d.details.type.label,
                     "maxDepth": SessionChart.mm(d.details.maxDepthMm), "needles": "\(d.details.needleCount) · \(d.details.needleGeometry)",
                     "punctureRate": d.details.punctureRate ?? "—", "serial": d.details.serialNumber,
                     "service": [d.details.lastServiceOn.map { "last \($0)" }, d.details.nextServiceDue.map { "due \($0)" }].compactMap { $0 }.joined(separator: ", "),
                     "problem": d.unusableReason(on: today) ?? "", "hasProblem": d.unusableReason(on: today) != nil] as [String: Any]
                },
                "hasDevices": !devices.isEmpty,
                "lots": lots.map { l in
                    ["kind": l.details.kind.label, "product": l.details.product, "lotNumber": l.details.lotNumber, "expiresOn": l.details.expiresOn.description,
                     "quantity": l.details.quantity, "receivedOn": l.details.receivedOn.description, "expired": l.isExpired(on: today),
                     "recallURL": "/recall?lot=\(l.details.lotNumber.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"] as [String: Any]
                },
                "hasLots": !lots.isEmpty,
                "deviceTypes": DeviceType.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["type"] == $0.rawValue] },
                "kinds": ConsumableKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["kind"] == $0.rawValue] },
                "v": form?.values.mapValues { $0.first ?? "" } ?? [:],
                "hasDeviceErrors": !deviceErrors.isEmpty, "deviceErrors": deviceErrors.map { ["field": $0.field, "message": $0.message] },
                "hasLotErrors": !lotErrors.isEmpty, "lotErrors": lotErrors.map { ["field": $0.field, "message": $0.message] },
                "today": today.description,
            ], context: context, status: status)
        }
        routes.page("/devices", .clinicalStaff, "Devices and consumable lots") { _, context in try await inventoryPage(context) }
        routes.form("/devices", .adminOnly, "Register a device") { _, context, form in
            let input = DeviceDetails.Input(model: form["model"], manufacturer: form["manufacturer"], type: form["type"],
                                            maxDepthMm: form["maxDepthMm"].flatMap { Double($0) }, needleGeometry: form["needleGeometry"],
                                            needleCount: form["needleCount"].flatMap { Int($0) }, punctureRate: form["punctureRate"],
                                            serialNumber: form["serialNumber"], lastServiceOn: form["lastServiceOn"], nextServiceDue: form["nextServiceDue"])
            switch DeviceDetails.validate(input) {
            case .failure(let f): return try await inventoryPage(context, deviceErrors: f.errors, form: form, status: .unprocessableContent)
            case .success(let d):
                do {
                    _ = try await charting.devices.addDevice(d, clinicId: context.user!.clinicId, by: context.auditActor)
                } catch StoreError.duplicate(let field) {
                    return try await inventoryPage(context, deviceErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
                }
                return Response.redirect(to: "/devices", type: .normal)
            }
        }
        routes.form("/lots", .adminOnly, "Receive a consumable lot") { _, context, form in
            let input = LotDetails.Input(kind: form["kind"], product: form["product"], lotNumber: form["lotNumber"], expiresOn: form["expiresOn"],
                                         quantity: form["quantity"].flatMap { Int($0) }, receivedOn: form["receivedOn"])
            switch LotDetails.validate(input, today: context.today) {
            case .failure(let f): return try await inventoryPage(context, lotErrors: f.errors, form: form, status: .unprocessableContent)
            case .success(let d):
                do {
                    _ = try await charting.devices.addLot(d, clinicId: context.user!.clinicId, by: context.auditActor)
                } catch StoreError.duplicate(let field) {
                    return try await inventoryPage(context, lotErrors: [FieldError(field, "is already registered")], form: form, status: .conflict)
                }
                return Response.redirect(to: "/devices#lots", type: .normal)
            }
        }

        // MARK: Consent
        @Sendable func templatesPage(_ context: AppContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
            let templates = try await charting.consents.templates(clinicId: context.user!.clinicId)
            return views.render("consent-templates", title: "Consent templates", section: "consent", data: [
                "templates": templates.map { ["kind": $0.details.kind.label, "version": $0.version, "title": $0.details.title, "body": $0.details.body,
                                              "createdAt": PatientView.timestamp($0.createdAt)] as [String: Any] },
                "hasTemplates": !templates.isEmpty,
                "kinds": ConsentKind.allCases.map { ["value": $0.rawValue, "label": $0.label] },
                "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            ], context: context, status: status)
        }
        routes.page("/consent-templates", .clinicalStaff, "Consent templates") { _, context in try await templatesPage(context) }
        routes.form("/consent-templates", .adminOnly, "Add a consent template version") { _, context, form in
            switch ConsentTemplateDetails.validate(kind: form["kind"], title: form["title"], body: form["body"]) {
            case .failure(let f): return try await templatesPage(context, errors: f.errors, status: .unprocessableContent)
            case .success(let d):
                _ = try await charting.consents.addTemplate(d, clinicId: context.user!.clinicId, authorId: context.user!.id, by: context.auditActor)
                return Response.redirect(to: "/consent-templates", type: .normal)
            }
        }
        @Sendable func consentForm(_ patientId: UUID, kind: ConsentKind, context: AppContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
            let patient = try await services.patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let template = try await charting.consents.currentTemplate(kind: kind, clinicId: context.user!.clinicId)
            return views.render("consent-form", title: "Consent · \(patient.fullName)", section: "patients", data: [
                "patientName": patient.fullName, "patientURL": PatientView.url(patientId), "action": PatientView.url(patientId) + "/consents",
                "kind": kind.rawValue, "kindLabel": kind.label,
                "kinds": ConsentKind.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == kind,
                                                    "url": PatientView.url(patientId) + "/consents/new?kind=\($0.rawValue)"] },
                "hasTemplate": template != nil, "title": template?.details.title ?? "", "version": template?.version ?? 0,
                "paragraphs": (template?.details.body ?? "").components(separatedBy: "\n\n").map { ["text": $0] },
                "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            ], context: context, status: status)
        }
        routes.page("/patients/:id/consents/new", .clinicalStaff, "Consent signing page") { request, context in
            let kind = request.uri.queryParameters.get("kind").flatMap(ConsentKind.init(rawValue:)) ?? .microneedling
            return try await consentForm(try PatientPageRoutes.pageUUID(context), kind: kind, context: context)
        }
        routes.form("/patients/:id/consents", .clinicalStaff, "Record a signed consent") { _, context, form in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let kind = form["kind"].flatMap(ConsentKind.init(rawValue:)) ?? .microneedling
            do {
                let c = try await ChartingAPIRoutes.signConsent(patientId: patientId, kind: form["kind"], signerName: form["signerName"],
                                                                agreed: form["agreed"] == "yes", png: form["signaturePng"], context: context, services: services)
                return Response.redirect(to: "/consents/\(c.id.lower)", type: .normal)
            } catch let e as AppError where e.status == .unprocessableContent || e.status == .conflict {
                return try await consentForm(patientId, kind: kind, context: context, errors: e.fields.isEmpty ? [FieldError("consent", e.detail ?? e.title)] : e.fields,
                                             status: e.status)
            }
        }
        routes.page("/consents/:id", .clinicalStaff, "A signed consent document") { _, context in
            let c = try await charting.consents.find(id: try PatientPageRoutes.pageUUID(context), clinicId: context.user!.clinicId, by: context.auditActor)
            return views.render("consent", title: "Signed consent", section: "patients", data: [
                "html": c.renderedHTML, "sha256": c.sha256, "signer": c.signerName, "signedAt": PatientView.timestamp(c.signedAt),
                "address": c.clientAddress, "kind": c.kind.label, "version": c.templateVersion, "patientURL": PatientView.url(c.patientId),
                "withdrawn": c.withdrawnAt != nil, "withdrawnAt": c.withdrawnAt.map(PatientView.timestamp) ?? "", "withdrawalReason": c.withdrawalReason ?? "",
                "action": "/consents/\(c.id.lower)/withdraw",
            ], context: context)
        }
        routes.form("/consents/:id/withdraw", .clinicalStaff, "Record a consent withdrawal") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            try await ChartingAPIRoutes.withdrawConsent(id, reason: form["reason"], context: context, services: services)
            return Response.redirect(to: "/consents/\(id.lower)", type: .normal)
        }

        // MARK: Sessions
        @Sendable func sessionFormPage(patient: Patient, session: SessionRecord?, input: SessionChart.Input, errors: [FieldError], zoneOrder: [FacialZone],
                             context: AppContext, checklist: PreSessionChecklist.Result? = nil, day: DayAnswers? = nil, banner: String? = nil,
                             status: HTTPResponse.Status = .ok, appointmentId: UUID? = nil) async throws -> Response {
            let clinicId = context.user!.clinicId
            let devices = try await charting.devices.devices(clinicId: clinicId)
            let lots = try await charting.devices.lots(clinicId: clinicId)
            var data = ChartForm.data(input, devices: devices, lots: lots, today: context.today, errors: errors, zoneOrder: zoneOrder,
                                      warnings: session?.warnings ?? [])
            data["patientName"] = patient.fullName
            data["patientURL"] = PatientView.url(patient.id)
            data["action"] = session.map { "/sessions/\($0.id.lower)" } ?? PatientView.url(patient.id) + "/sessions"
            data["isDraft"] = session != nil
            data["hasAppointment"] = appointmentId != nil && session == nil
            data["appointmentId"] = appointmentId?.lower ?? ""
            data["version"] = session?.version ?? 0
            data["signAction"] = session.map { "/sessions/\($0.id.lower)/sign" } ?? ""
            data["checkAction"] = session.map { "/sessions/\($0.id.lower)/checklist" } ?? ""
            data["hasBanner"] = banner != nil
            data["banner"] = banner ?? ""
            data["dayQuestions"] = DayAnswers.fields.map { f in
                ["name": "day.\(f)", "label": DayAnswers.labels[f] ?? f, "checked": day.map { d in
                    switch f {
                    case "activeAcneInArea": d.activeAcneInArea
                    case "localInfectionInArea": d.localInfectionInArea
                    case "activeHerpesLabialis": d.activeHerpesLabialis
                    case "recentSunburn": d.recentSunburn
                    case "pregnantOrBreastfeeding": d.pregnantOrBreastfeeding
                    default: d.newMedications
                    }
                } ?? false] as [String: Any]
            }
            data["hasChecklist"] = checklist != nil
            data["checklistPassed"] = checklist?.passed ?? false
            data["checklist"] = (checklist?.items ?? []).map { ["title": $0.title, "passed": $0.passed, "reason": $0.reason, "source": $0.source ?? "",
                                                               "hasSource": $0.source != nil] as [String: Any] }
            data["hasDevices"] = !devices.isEmpty
            return views.render("session-form", title: session == nil ? "New session · \(patient.fullName)" : "Session draft · \(patient.fullName)",
                                section: "patients", data: data, context: context, status: status)
        }

        /// The approved version a first session follows, chosen as signing chooses it
        /// (`PlanRepository.sessionPlan`): the appointment's plan as approved now, else the
        /// patient's most recently approved plan.
        @Sendable func planForFirstSession(patientId: UUID, appointmentId: UUID?, context: AppContext) async throws -> PlanVersion? {
            let plans = try await PlanRepository(services.database).list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            if let appointmentId,
               let a = try? await services.schedule.appointment(id: appointmentId, clinicId: context.user!.clinicId, by: context.auditActor),
               let planId = a.planId {
                return plans.first { $0.id == planId }?.inForce
            }
            return plans.compactMap(\.inForce).max { ($0.approval?.approvedAt ?? .distantPast) < ($1.approval?.approvedAt ?? .distantPast) }
        }

        routes.page("/patients/:id/sessions/new", clinicians, "New session chart (defaults from the previous session; ?appointment= links it)") { request, context in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let appointmentId = request.uri.queryParameters.get("appointment").flatMap(UUID.init(uuidString:))
            let patient = try await services.patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let previous = try await charting.sessions.list(patientId: patientId, clinicId: context.user!.clinicId, by: context.auditActor).first
            var input: SessionChart.Input
            var banner: String?
            if let previous {
                // Carried forward: device, lots, zones and settings. Not carried: the day, reactions and notes.
                input = SessionChart.Input(previous.currentChart)
                input.performedOn = context.today.description
                input.reactions = nil
                input.notes = nil
                input.durationMinutes = previous.currentChart.durationMinutes
                banner = "Defaults carried from the session of \(previous.chart.performedOn). Check each value."
            } else if let plan = try await planForFirstSession(patientId: patientId, appointmentId: appointmentId, context: context) {
                // The first session starts from the approved plan's modality and target depths.
                input = SessionChart.Input.fromPlan(plan.content, modality: plan.modality, performedOn: context.today)
                banner = "Target depths from the approved plan (version \(plan.number)). Choose the device and lots; check each value."
            } else {
                input = SessionChart.Input()
                input.performedOn = context.today.description
            }
            return try await sessionFormPage(patient: patient, session: nil, input: input, errors: [], zoneOrder: [], context: context, banner: banner,
                                             appointmentId: appointmentId)
        }
        routes.form("/patients/:id/sessions", clinicians, "Save a new session draft") { _, context, form in
            let patientId = try PatientPageRoutes.pageUUID(context)
            let patient = try await services.patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            var errors: [FieldError] = []
            let (input, order) = ChartForm.input(from: form, errors: &errors)
            let (limits, _) = try await charting.sessions.limits(clinicId: context.user!.clinicId, today: context.today)
            let appointmentId = form["appointmentId"].flatMap(UUID.init(uuidString:))
            let link = try await ChartingAPIRoutes.appointmentLink(appointmentId, patientId: patientId, context: context, services: services)
            errors += link.errors
            switch SessionChart.validate(input, limits: limits) {
            case .success(let checked) where errors.isEmpty:
                let s = try await charting.sessions.create(checked, patientId: patientId, clinicId: context.user!.clinicId, practitionerId: context.user!.id,
                                                           appointmentId: appointmentId, planVersionId: link.planVersionId, by: context.auditActor)
                return Response.redirect(to: "/sessions/\(s.id.lower)", type: .normal)
            case .success: break
            case .failure(let f): errors += f.errors
            }
            return try await sessionFormPage(patient: patient, session: nil, input: input, errors: errors, zoneOrder: order, context: context,
                                             banner: "Please correct the fields listed below.", status: .unprocessableContent,
                                             appointmentId: appointmentId)
        }

        @Sendable func sessionPage(_ s: SessionRecord, context: AppContext, amendErrors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let clinicId = context.user!.clinicId
            let devices = try await charting.devices.devices(clinicId: clinicId)
            let lots = try await charting.devices.lots(clinicId: clinicId)
            var data = SessionView.detail(s, devices: devices, lots: lots)
            data["patientName"] = patient.fullName
            data["patientURL"] = PatientView.url(patient.id)
            data["amendAction"] = "/sessions/\(s.id.lower)/amend"
            data["aeURL"] = PatientView.url(patient.id) + "/adverse-events/new?session=\(s.id.lower)"
            var amendForm = ChartForm.data(SessionChart.Input(s.currentChart), devices: devices, lots: lots, today: s.chart.performedOn,
                                           errors: amendErrors, zoneOrder: s.currentChart.zones.map(\.zone))
            amendForm["action"] = "/sessions/\(s.id.lower)/amend"
            data["amend"] = amendForm
            data["hasAmendErrors"] = !amendErrors.isEmpty
            return views.render("session", title: "Session \(s.chart.performedOn) · \(patient.fullName)", section: "patients", data: data,
                                context: context, status: status)
        }

        routes.page("/sessions/:id", .clinicalStaff, "A session chart") { _, context in
            let s = try await charting.sessions.find(id: try PatientPageRoutes.pageUUID(context), clinicId: context.user!.clinicId, by: context.auditActor)
            if s.status == .signed { return try await sessionPage(s, context: context) }
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            return try await sessionFormPage(patient: patient, session: s, input: SessionChart.Input(s.chart), errors: [],
                                             zoneOrder: s.chart.zones.map(\.zone), context: context)
        }
        routes.form("/sessions/:id", clinicians, "Save a session draft") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let s = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: nil)
            guard s.status == .draft else {
                throw AppError(.conflict, "The session is signed", detail: "A signed session cannot be edited. Record a correction as an amendment.")
            }
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            var errors: [FieldError] = []
            let (input, order) = ChartForm.input(from: form, errors: &errors)
            guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
            let (limits, _) = try await charting.sessions.limits(clinicId: context.user!.clinicId, today: context.today)
            switch SessionChart.validate(input, limits: limits) {
            case .success(let checked) where errors.isEmpty:
                do {
                    _ = try await charting.sessions.update(id: id, clinicId: context.user!.clinicId, expectedVersion: version, checked: checked, by: context.auditActor)
                } catch StoreError.versionConflict {
                    let current = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: nil)
                    return try await sessionFormPage(patient: patient, session: current, input: SessionChart.Input(current.chart), errors: [],
                                                     zoneOrder: current.chart.zones.map(\.zone), context: context,
                                                     banner: "This draft was changed by someone else while you were editing. The form shows the saved chart; re-apply your changes.",
                                                     status: .conflict)
                }
                return Response.redirect(to: "/sessions/\(id.lower)#checklist", type: .normal)
            case .success: break
            case .failure(let f): errors += f.errors
            }
            return try await sessionFormPage(patient: patient, session: s, input: input, errors: errors, zoneOrder: order, context: context,
                                             banner: "Please correct the fields listed below.", status: .unprocessableContent)
        }
        routes.form("/sessions/:id/checklist", clinicians, "Check the pre-session checklist with today's answers") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let s = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: nil)
            guard s.status == .draft else { return Response.redirect(to: "/sessions/\(id.lower)", type: .normal) }
            let day = ChartForm.dayAnswers(from: form)
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let checked = try await CheckSession(services.database)(sessionId: id, dayAnswers: day, by: context.clinician)
            return try await sessionFormPage(patient: patient, session: s, input: SessionChart.Input(s.chart), errors: [],
                                             zoneOrder: s.chart.zones.map(\.zone), context: context, checklist: checked.result, day: day)
        }
        // Separate routes (the buttons use formaction): a disabled submit button sends no value, so
        // one route per action stays correct with the double-submit guard in app.js.
        routes.form("/sessions/:id/sign", clinicians, "Sign the session (the checklist must pass)") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            let day = ChartForm.dayAnswers(from: form)
            guard let version = form["version"].flatMap(Int.init) else { throw AppError.badRequest("The form has no record version; reload the page.", field: "version") }
            do {
                _ = try await SignSession(services.database)(.init(sessionId: id, expectedVersion: version, dayAnswers: day),
                                                             by: context.clinician, actor: context.auditActor)
                return Response.redirect(to: "/sessions/\(id.lower)", type: .normal)
            } catch ChartingStoreError.signed {
                return Response.redirect(to: "/sessions/\(id.lower)", type: .normal)
            } catch let refusal as Refusal {
                // The refused form comes back with the checklist as it stands and the reasons.
                let checked = try await CheckSession(services.database)(sessionId: id, dayAnswers: day, by: context.clinician)
                let patient = try await services.patients.find(id: checked.session.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
                let e = AppError(refusal)
                return try await sessionFormPage(patient: patient, session: checked.session, input: SessionChart.Input(checked.session.chart),
                                                 errors: e.status == .unprocessableContent ? e.fields : [],
                                                 zoneOrder: checked.session.chart.zones.map(\.zone), context: context, checklist: checked.result,
                                                 day: day, banner: "Not signed: \(e.title.lowercased()). \(e.detail ?? "")", status: e.status)
            } catch StoreError.versionConflict {
                throw AppError(.conflict, "The draft changed", detail: "Someone saved this draft after you opened it. Reload the page and sign again.")
            }
        }
        routes.form("/sessions/:id/amend", clinicians, "Amend a signed session") { _, context, form in
            let id = try PatientPageRoutes.pageUUID(context)
            var errors: [FieldError] = []
            let (input, _) = ChartForm.input(from: form, errors: &errors)
            let s = try await charting.sessions.find(id: id, clinicId: context.user!.clinicId, by: nil)
            var full = input
            full.performedOn = s.chart.performedOn.description
            full.deviceId = s.chart.deviceId.lower
            full.cartridgeLotId = s.chart.cartridgeLotId?.lower
            full.modality = s.chart.modality.rawValue
            full.topicals = SessionChart.Input(s.currentChart).topicals
            if full.anesthetic?.lotId == nil { full.anesthetic?.lotId = s.currentChart.anesthetic?.lotId?.lower }
            do {
                if !errors.isEmpty { throw AppError.validation(errors) }
                _ = try await ChartingErrors.map { try await ChartingAPIRoutes.amend(id, reason: form["reason"], chart: full, context: context, charting: charting) }
                return Response.redirect(to: "/sessions/\(id.lower)#amendments", type: .normal)
            } catch let e as AppError where e.status == .unprocessableContent {
                return try await sessionPage(s, context: context, amendErrors: e.fields, status: .unprocessableContent)
            }
        }
        routes.page("/sessions/:id/post-care", .clinicalStaff, "Printable post-care sheet for a session") { _, context in
            let s = try await charting.sessions.find(id: try PatientPageRoutes.pageUUID(context), clinicId: context.user!.clinicId, by: context.auditActor)
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let t = try await charting.postcare.recorded(s)
            return views.render("postcare", title: t.title, section: "patients", data: [
                "title": t.title, "version": t.versionId, "patientName": patient.fullName, "date": s.chart.performedOn.description,
                "clinicName": context.session?.clinicName ?? "", "sessionURL": "/sessions/\(s.id.lower)",
                "sections": t.sections.map { ["window": $0.window, "instruction": $0.instruction, "source": $0.source] },
                "recorded": s.postcareVersion != nil,
            ], context: context)
        }

        // MARK: Adverse events
        @Sendable func aeForm(_ patientId: UUID, input: AdverseEventDetails.Input, errors: [FieldError], context: AppContext, status: HTTPResponse.Status = .ok) async throws -> Response {
            let patient = try await services.patients.find(id: patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let settings = try await charting.devices.settings(clinicId: context.user!.clinicId)
            return views.render("adverse-event-form", title: "Adverse event · \(patient.fullName)", section: "patients", data: [
                "patientName": patient.fullName, "patientURL": PatientView.url(patientId), "action": PatientView.url(patientId) + "/adverse-events",
                "terms": AETerm.catalogue.map { ["value": $0.code, "label": $0.label + ($0.expectedSequela ? " (expected sequela)" : ""), "selected": $0.code == input.term] },
                "grades": CTCAEGrade.allCases.map { ["value": $0.rawValue, "label": $0.label, "definition": $0.definition, "selected": $0.rawValue == (input.grade ?? 1)] },
                "relatedness": Relatedness.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (input.relatedness ?? "possible")] },
                "outcomes": AEOutcome.allCases.map { ["value": $0.rawValue, "selected": $0.rawValue == (input.outcome ?? "ongoing")] },
                "onsetOn": input.onsetOn ?? context.today.description, "resolvedOn": input.resolvedOn ?? "", "sessionId": input.sessionId ?? "",
                "durationHours": input.durationHours.map { String(Int($0)) } ?? "", "actionTaken": input.actionTaken ?? "", "products": input.products ?? "",
                "notes": input.notes ?? "", "serious": input.serious ?? false,
                "thresholds": "Erythema \(settings.thresholds.erythemaHours) h, edema \(settings.thresholds.edemaHours) h", "thresholdSource": SequelaThresholds.source,
                "gradeSource": CTCAEGrade.source,
                "hasErrors": !errors.isEmpty, "errors": errors.map { ["field": $0.field, "message": $0.message] },
            ], context: context, status: status)
        }
        routes.page("/patients/:id/adverse-events/new", .clinicalStaff, "Record an adverse event") { request, context in
            try await aeForm(try PatientPageRoutes.pageUUID(context), input: AdverseEventDetails.Input(sessionId: request.uri.queryParameters.get("session")), errors: [], context: context)
        }
        routes.form("/patients/:id/adverse-events", .clinicalStaff, "Save an adverse event") { _, context, form in
            let patientId = try PatientPageRoutes.pageUUID(context)
            var errors: [FieldError] = []
            var hours: Double?
            if let raw = Text.trimmed(form["durationHours"]) {
                hours = Double(raw)
                if hours == nil { errors.append(FieldError("durationHours", "must be a number")) }
            }
            let input = AdverseEventDetails.Input(term: form["term"], onsetOn: form["onsetOn"], grade: form["grade"].flatMap { Int($0) },
                                                  serious: form["serious"] != nil, relatedness: form["relatedness"], actionTaken: form["actionTaken"],
                                                  outcome: form["outcome"], resolvedOn: form["resolvedOn"], sessionId: form["sessionId"], lotIds: nil,
                                                  products: form["products"], durationHours: hours, notes: form["notes"])
            do {
                if !errors.isEmpty { throw AppError.validation(errors) }
                _ = try await ChartingAPIRoutes.recordAdverseEvent(input, patientId: patientId, context: context, services: services)
                return Response.redirect(to: "/adverse-events", type: .normal)
            } catch let e as AppError where e.status == .unprocessableContent {
                return try await aeForm(patientId, input: input, errors: e.fields, context: context, status: .unprocessableContent)
            }
        }
        routes.page("/adverse-events", .clinicalStaff, "Open adverse events") { _, context in
            let list = try await charting.adverseEvents.list(patientId: nil, openOnly: true, clinicId: context.user!.clinicId, by: context.auditActor)
            return views.render("adverse-events", title: "Open adverse events", section: "aes", data: [
                "events": list.map(SessionView.aeRow), "hasEvents": !list.isEmpty,
            ], context: context)
        }

        // MARK: Recall
        routes.page("/recall", clinicians, "Recall: patients treated with a lot or a device") { request, context in
            let q = request.uri.queryParameters
            let lot = q.get("lot") ?? "", serial = q.get("serial") ?? ""
            let searched = Text.trimmed(lot) != nil || Text.trimmed(serial) != nil
            let rows = searched ? try await ChartingAPIRoutes.recall(request, context: context, charting: charting) : []
            var csv = URLComponents()
            csv.path = "/recall.csv"
            csv.queryItems = [URLQueryItem(name: "lot", value: lot), URLQueryItem(name: "serial", value: serial)]
            return views.render("recall", title: "Recall", section: "recall", data: [
                "lot": lot, "serial": serial, "searched": searched, "hasRows": !rows.isEmpty, "count": rows.count,
                "csvURL": csv.string ?? "/recall.csv",
                "rows": rows.map { r in
                    ["patientName": r.patientName, "mrn": r.mrn, "patientURL": PatientView.url(r.patientId), "performedOn": r.performedOn,
                     "sessionURL": "/sessions/\(r.sessionId.lower)", "status": r.status, "practitioner": r.practitioner,
                     "device": "\(r.deviceModel) SN \(r.deviceSerial)", "lot": r.lotNumber.map { "\($0) (\(r.product ?? ""), \(r.role ?? ""))" } ?? "—"] as [String: Any]
                },
            ], context: context)
        }
        routes.page("/recall.csv", clinicians, "Recall as a CSV download") { request, context in
            let rows = try await ChartingAPIRoutes.recall(request, context: context, charting: charting)
            var csv = CSV.row(["session_id", "patient_id", "patient_name", "mrn", "performed_on", "status", "practitioner", "device_model",
                               "device_serial", "lot_number", "product", "role"])
            for r in rows {
                csv += CSV.row([r.sessionId.lower, r.patientId.lower, r.patientName, r.mrn, r.performedOn, r.status, r.practitioner,
                                r.deviceModel, r.deviceSerial, r.lotNumber ?? "", r.product ?? "", r.role ?? ""])
            }
            return CSVResponse.download(csv, filename: "recall.csv")
        }
    }
}

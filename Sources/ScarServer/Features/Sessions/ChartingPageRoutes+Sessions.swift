import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

extension ChartingPageRoutes {
    /// The session chart: draft form, checklist, signature, amendments, post-care printout.
    static func addSessions(to routes: Routes, services: AppServices) {
        let charting = ChartingServices(services)
        let views = services.views
        let clinicians = ChartingAPIRoutes.clinicians
        @Sendable func sessionFormPage(patient: Patient, session: SessionRecord?, input: SessionChart.Input, errors: [FieldError], zoneOrder: [FacialZone],
                             context: AppContext, checklist: PreSessionChecklist.Result? = nil, day: DayAnswers? = nil, banner: String? = nil,
                             status: HTTPResponse.Status = .ok, appointmentId: UUID? = nil) async throws -> Response {
            let clinicId = context.user!.clinicId
            let devices = try await charting.devices.devices(clinicId: clinicId)
            let lots = try await charting.devices.lots(clinicId: clinicId)
            var data = ChartForm.data(input, devices: devices, lots: lots, today: context.today, errors: errors, zoneOrder: zoneOrder,
                                      warnings: session?.warnings ?? [])
            data["patientName"] = patient.fullName
            data["patientURL"] = PatientLinks.url(patient.id)
            data["action"] = session.map { "/sessions/\($0.id.lower)" } ?? PatientLinks.url(patient.id) + "/sessions"
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
            let patientId = try PathParameters.pageUUID(context)
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
            let patientId = try PathParameters.pageUUID(context)
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
            data["patientURL"] = PatientLinks.url(patient.id)
            data["amendAction"] = "/sessions/\(s.id.lower)/amend"
            data["aeURL"] = PatientLinks.url(patient.id) + "/adverse-events/new?session=\(s.id.lower)"
            var amendForm = ChartForm.data(SessionChart.Input(s.currentChart), devices: devices, lots: lots, today: s.chart.performedOn,
                                           errors: amendErrors, zoneOrder: s.currentChart.zones.map(\.zone))
            amendForm["action"] = "/sessions/\(s.id.lower)/amend"
            data["amend"] = amendForm
            data["hasAmendErrors"] = !amendErrors.isEmpty
            return views.render("session", title: "Session \(s.chart.performedOn) · \(patient.fullName)", section: "patients", data: data,
                                context: context, status: status)
        }

        routes.page("/sessions/:id", .clinicalStaff, "A session chart") { _, context in
            let s = try await charting.sessions.find(id: try PathParameters.pageUUID(context), clinicId: context.user!.clinicId, by: context.auditActor)
            if s.status == .signed { return try await sessionPage(s, context: context) }
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            return try await sessionFormPage(patient: patient, session: s, input: SessionChart.Input(s.chart), errors: [],
                                             zoneOrder: s.chart.zones.map(\.zone), context: context)
        }
        routes.form("/sessions/:id", clinicians, "Save a session draft") { _, context, form in
            let id = try PathParameters.pageUUID(context)
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
            let id = try PathParameters.pageUUID(context)
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
            let id = try PathParameters.pageUUID(context)
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
            let id = try PathParameters.pageUUID(context)
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
            let s = try await charting.sessions.find(id: try PathParameters.pageUUID(context), clinicId: context.user!.clinicId, by: context.auditActor)
            let patient = try await services.patients.find(id: s.patientId, clinicId: context.user!.clinicId, by: context.auditActor)
            let t = try await charting.postcare.recorded(s)
            return views.render("postcare", title: t.title, section: "patients", data: [
                "title": t.title, "version": t.versionId, "patientName": patient.fullName, "date": s.chart.performedOn.description,
                "clinicName": context.session?.clinicName ?? "", "sessionURL": "/sessions/\(s.id.lower)",
                "sections": t.sections.map { ["window": $0.window, "instruction": $0.instruction, "source": $0.source] },
                "recorded": s.postcareVersion != nil,
            ], context: context)
        }
    }
}

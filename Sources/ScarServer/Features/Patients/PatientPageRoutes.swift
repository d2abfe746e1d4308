import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// The patient pages: list with search, register, patient page, edit. Forms work without
/// JavaScript; errors re-show the form with each message beside its field.
enum PatientPageRoutes {
    static func add(to routes: Routes, services: AppServices) {
        let patients = services.patients
        let views = services.views

        routes.page("/patients", .clinicalStaff, "Patient list and search") { request, context in
            let query = request.uri.queryParameters
            let q = query.get("q") ?? ""
            let pageNumber = Int(query.get("page") ?? "1").map { max(1, min($0, 1_000_000)) } ?? 1
            let result = try await patients.search(PatientQuery.parse(q), page: PageRequest(page: pageNumber, perPage: 25),
                                                   clinicId: context.user!.clinicId, by: context.auditActor)
            let today = context.todayISO
            return views.render("patients", title: "Patients", section: "patients", data: [
                "q": q,
                "patients": result.items.map { PatientView.row($0, today: today) },
                "hasPatients": !result.items.isEmpty,
                "total": result.total, "singular": result.total == 1,
                "page": result.page, "pageCount": result.pageCount,
                "hasPrevious": result.hasPrevious, "hasNext": result.hasNext,
                "previousURL": listURL(q: q, page: result.page - 1), "nextURL": listURL(q: q, page: result.page + 1),
                "searching": !q.trimmingCharacters(in: .whitespaces).isEmpty,
            ], context: context)
        }

        routes.page("/patients/new", .clinicalStaff, "Register-patient form") { _, context in
            formPage(views: views, context: context, title: "Register a patient", action: "/patients",
                     input: PatientDetails.Input(sex: "unknown"), errors: [], version: nil, banner: nil, status: .ok)
        }

        routes.form("/patients", .clinicalStaff, "Register a patient") { _, context, form in
            let input = PatientDetails.Input.from(form)
            switch PatientDetails.validate(input, today: context.todayISO) {
            case .failure(let failure):
                return formPage(views: views, context: context, title: "Register a patient", action: "/patients", input: input,
                                errors: failure.errors, version: nil, banner: "Please correct the fields marked below.",
                                status: .unprocessableContent)
            case .success(let details):
                do {
                    let patient = try await patients.register(details, clinicId: context.user!.clinicId, by: context.auditActor)
                    return Response.redirect(to: PatientView.url(patient.id), type: .normal)
                } catch StoreError.duplicate(let field) {
                    return formPage(views: views, context: context, title: "Register a patient", action: "/patients", input: input,
                                    errors: [FieldError(field, "is already used by another patient")], version: nil,
                                    banner: "Please correct the fields marked below.", status: .conflict)
                }
            }
        }

        routes.page("/patients/:id", .clinicalStaff, "Patient page") { _, context in
            try await patientPage(try pageUUID(context), context: context, services: services)
        }

        routes.page("/patients/:id/edit", .clinicalStaff, "Edit-patient form") { _, context in
            let id = try pageUUID(context)
            let patient = try await patients.find(id: id, clinicId: context.user!.clinicId, by: context.auditActor)
            return formPage(views: views, context: context, title: "Edit \(patient.fullName)", action: PatientView.url(id) + "/edit",
                            input: PatientDetails.Input(patient), errors: [], version: patient.version, banner: nil, status: .ok,
                            cancelURL: PatientView.url(id))
        }

        routes.form("/patients/:id/edit", .clinicalStaff, "Save a patient's details") { _, context, form in
            let id = try pageUUID(context)
            let clinicId = context.user!.clinicId
            let input = PatientDetails.Input.from(form)
            let action = PatientView.url(id) + "/edit"
            guard let version = form["version"].flatMap(Int.init) else {
                throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
            }
            switch PatientDetails.validate(input, today: context.todayISO) {
            case .failure(let failure):
                return formPage(views: views, context: context, title: "Edit patient", action: action, input: input,
                                errors: failure.errors, version: version, banner: "Please correct the fields marked below.",
                                status: .unprocessableContent, cancelURL: PatientView.url(id))
            case .success(let details):
                do {
                    _ = try await patients.update(id: id, clinicId: clinicId, expectedVersion: version, by: context.auditActor) { _ in details }
                    return Response.redirect(to: PatientView.url(id), type: .normal)
                } catch StoreError.versionConflict {
                    // Show what is stored now, and what this user typed, so nothing is lost silently.
                    let current = try await patients.find(id: id, clinicId: clinicId, by: context.auditActor)
                    return formPage(views: views, context: context, title: "Edit \(current.fullName)", action: action,
                                    input: PatientDetails.Input(current), errors: [], version: current.version,
                                    banner: "This record was changed by someone else while you were editing. "
                                        + "The form now shows the saved values; your entries are listed below. Re-apply them and save again.",
                                    status: .conflict, cancelURL: PatientView.url(id), yourEntries: input)
                } catch StoreError.duplicate(let field) {
                    return formPage(views: views, context: context, title: "Edit patient", action: action, input: input,
                                    errors: [FieldError(field, "is already used by another patient")], version: version,
                                    banner: "Please correct the fields marked below.", status: .conflict, cancelURL: PatientView.url(id))
                }
            }
        }
    }

    /// The patient page; `acknowledgementError` re-shows a refused acknowledgement form.
    static func patientPage(_ id: UUID, context: AppContext, services: AppServices, acknowledgementError: FieldError? = nil,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = context.user!
        let patient = try await services.patients.find(id: id, clinicId: user.clinicId, by: context.auditActor)
        let screening = try await CurrentScreening.load(patientId: id, context: context, intakes: services.intakes)
        let scarAssessments = try await services.assessments.list(patientId: id, clinicId: user.clinicId, by: context.auditActor)
        let photos = try await services.photos.list(patientId: id, clinicId: user.clinicId, by: context.auditActor)
        let accessLog = try await services.audit.entries(patientId: id, limit: 8)
        return services.views.render("patient", title: patient.fullName, section: "patients", data: [
            "photoStrip": PhotoStripView.strip(patientId: id, photos: photos),
            "course": try await ScheduleView.course(patientId: id, context: context, services: services),
            "charting": try await ChartingPatientCard.data(patientId: id, context: context, services: services),
            "scarAssessments": AssessmentView.patientCard(scarAssessments, patientId: id),
            "treatmentPlans": try await PlanView.patientCard(patientId: id, context: context, services: services),
            "patient": PatientView.detail(patient, today: context.todayISO),
            "screening": ScreeningView.card(screening, patientURL: PatientView.url(id),
                                            canAcknowledge: ScreeningAPIRoutes.clinicians.allows(user.role)),
            "ackError": acknowledgementError.map { "\($0.field): \($0.message)" } ?? "", "hasAckError": acknowledgementError != nil,
            "accessLog": accessLog.map(PatientView.auditRow),
        ], context: context, status: status)
    }

    static func pageUUID(_ context: AppContext) throws -> UUID {
        guard let raw = context.parameters.get("id"), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }

    static func listURL(q: String, page: Int) -> String {
        var c = URLComponents()
        c.path = "/patients"
        c.queryItems = [URLQueryItem(name: "q", value: q), URLQueryItem(name: "page", value: String(page))]
        return c.string ?? "/patients"
    }

    static func formPage(views: Views, context: AppContext, title: String, action: String, input: PatientDetails.Input,
                         errors: [FieldError], version: Int?, banner: String?, status: HTTPResponse.Status,
                         cancelURL: String = "/patients", yourEntries: PatientDetails.Input? = nil) -> Response {
        views.render("patient-form", title: title, section: "patients", data: [
            "formTitle": title, "action": action, "cancelURL": cancelURL,
            "fields": PatientView.formFields(input, errors: errors),
            "sexOptions": Sex.allCases.map { ["value": $0.rawValue, "label": $0.rawValue.capitalized, "selected": $0.rawValue == (input.sex ?? "unknown")] },
            "sexError": errors.first { $0.field == "sex" }?.message ?? "",
            "hasSexError": errors.contains { $0.field == "sex" },
            "version": version.map(String.init) ?? "", "hasVersion": version != nil,
            "banner": banner ?? "", "hasBanner": banner != nil,
            "yourEntries": yourEntries.map(PatientView.entries) ?? [], "hasYourEntries": yourEntries != nil,
        ], context: context, status: status)
    }
}

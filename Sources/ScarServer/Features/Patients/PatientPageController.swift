import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// The patient pages: list with search, register, patient page, edit. Forms work without
/// JavaScript; errors re-show the form with each message beside its field.
struct PatientPageController {
    let services: AppServices
    var patients: PatientRepository { services.patients }
    var views: Views { services.views }

    static let invalidBanner = "Please correct the fields marked below."

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services: services)
        routes.page("/patients", .clinicalStaff, "Patient list and search", c.list)
        routes.page("/patients/new", .clinicalStaff, "Register-patient form", c.newForm)
        routes.form("/patients", .clinicalStaff, "Register a patient", c.register)
        routes.page("/patients/:id", .clinicalStaff, "Patient page", c.patientPage)
        routes.page("/patients/:id/edit", .clinicalStaff, "Edit-patient form", c.editForm)
        routes.form("/patients/:id/edit", .clinicalStaff, "Save a patient's details", c.save)
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let query = request.uri.queryParameters
        let q = query.get("q") ?? ""
        let pageNumber = Int(query.get("page") ?? "1").map { max(1, min($0, 1_000_000)) } ?? 1
        let result = try await patients.search(PatientQuery.parse(q), page: PageRequest(page: pageNumber, perPage: 25),
                                               clinicId: context.signedInUser.clinicId, by: context.auditActor)
        let today = context.today
        let page = PatientPages.List(q: q, patients: result.items.map { PatientHeader.row($0, today: today) }, total: result.total,
                                     singular: result.total == 1, page: result.page, pageCount: result.pageCount,
                                     previousURL: result.hasPrevious ? Self.listURL(q: q, page: result.page - 1) : nil,
                                     nextURL: result.hasNext ? Self.listURL(q: q, page: result.page + 1) : nil,
                                     searching: !q.trimmingCharacters(in: .whitespaces).isEmpty)
        return views.render(.patients, title: "Patients", section: "patients", page: page, context: context)
    }

    @Sendable func newForm(_ request: Request, _ context: AppContext) async throws -> Response {
        formPage(context, title: "Register a patient", action: "/patients", input: PatientDetails.Input(sex: "unknown"), errors: [],
                 version: nil, banner: nil, status: .ok)
    }

    @Sendable func register(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let input = PatientDetails.Input.from(form)
        switch PatientDetails.validate(input, today: context.today) {
        case .failure(let failure):
            return formPage(context, title: "Register a patient", action: "/patients", input: input, errors: failure.errors, version: nil,
                            banner: Self.invalidBanner, status: .unprocessableContent)
        case .success(let details):
            do {
                let patient = try await RegisterPatient(services.database)(details, by: context.clinician, actor: context.auditActor, now: context.now)
                return Response.redirect(to: PatientLinks.url(patient.id), type: .normal)
            } catch StoreError.duplicate(let field) {
                return formPage(context, title: "Register a patient", action: "/patients", input: input,
                                errors: [FieldError(field, "is already used by another patient")], version: nil,
                                banner: Self.invalidBanner, status: .conflict)
            }
        }
    }

    @Sendable func patientPage(_ request: Request, _ context: AppContext) async throws -> Response {
        try await PatientPage.render(try context.pageUUID(), context: context, services: services)
    }

    @Sendable func editForm(_ request: Request, _ context: AppContext) async throws -> Response {
        let id = try context.pageUUID()
        let patient = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return formPage(context, title: "Edit \(patient.fullName)", action: PatientLinks.url(id) + "/edit", input: PatientDetails.Input(patient),
                        errors: [], version: patient.version, banner: nil, status: .ok, cancelURL: PatientLinks.url(id))
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        let id = try context.pageUUID()
        let input = PatientDetails.Input.from(form)
        let action = PatientLinks.url(id) + "/edit"
        guard let version = form["version"].flatMap(Int.init) else {
            throw AppError.badRequest("The form has no record version; reload the page.", field: "version")
        }
        func refused(_ errors: [FieldError], _ status: HTTPResponse.Status) -> Response {
            formPage(context, title: "Edit patient", action: action, input: input, errors: errors, version: version,
                     banner: Self.invalidBanner, status: status, cancelURL: PatientLinks.url(id))
        }
        switch PatientDetails.validate(input, today: context.today) {
        case .failure(let failure):
            return refused(failure.errors, .unprocessableContent)
        case .success(let details):
            do {
                _ = try await EditPatient(services.database)(patientId: id, expectedVersion: version, by: context.clinician,
                                                             actor: context.auditActor, now: context.now) { _ in details }
                return Response.redirect(to: PatientLinks.url(id), type: .normal)
            } catch StoreError.versionConflict {
                return try await staleForm(id, typed: input, context: context)
            } catch StoreError.duplicate(let field) {
                return refused([FieldError(field, "is already used by another patient")], .conflict)
            }
        }
    }

    /// After a conflicting edit: what is stored now, and what this user typed, so nothing is lost silently.
    func staleForm(_ id: UUID, typed input: PatientDetails.Input, context: AppContext) async throws -> Response {
        let current = try await patients.find(id: id, clinicId: context.signedInUser.clinicId, by: context.auditActor)
        return formPage(context, title: "Edit \(current.fullName)", action: PatientLinks.url(id) + "/edit",
                        input: PatientDetails.Input(current), errors: [], version: current.version,
                        banner: "This record was changed by someone else while you were editing. "
                            + "The form now shows the saved values; your entries are listed below. Re-apply them and save again.",
                        status: .conflict, cancelURL: PatientLinks.url(id), yourEntries: input)
    }

    static func listURL(q: String, page: Int) -> String {
        var c = URLComponents()
        c.path = "/patients"
        c.queryItems = [URLQueryItem(name: "q", value: q), URLQueryItem(name: "page", value: String(page))]
        return c.string ?? "/patients"
    }

    func formPage(_ context: AppContext, title: String, action: String, input: PatientDetails.Input, errors: [FieldError], version: Int?,
                  banner: String?, status: HTTPResponse.Status, cancelURL: String = "/patients",
                  yourEntries: PatientDetails.Input? = nil) -> Response {
        views.render(.patientForm, title: title, section: "patients", page: PatientPages.Form(
            formTitle: title, action: action, cancelURL: cancelURL, fields: PatientView.formFields(input, errors: errors),
            sexOptions: Sex.allCases.map { .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0.rawValue == (input.sex ?? "unknown")) },
            sexError: errors.first { $0.field == "sex" }?.message, version: version, banner: banner,
            yourEntries: yourEntries.map(PatientView.entries) ?? []), context: context, status: status)
    }
}

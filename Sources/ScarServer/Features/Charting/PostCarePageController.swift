import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/postcare-templates`: the clinic's post-care sheets per modality, every version (version 1
/// is the shipped sheet from domain reference §9, with its sources), and the admin's editor:
/// saving adds a new version (the version read is checked, so two admins cannot overwrite each
/// other); sessions keep the version they gave.
struct PostCarePageController {
    let repository: PostCareRepository
    let views: Views

    init(_ services: AppServices) {
        repository = PostCareRepository(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/postcare-templates", .clinicalStaff, "Post-care sheets per modality, every version", c.show)
        routes.form("/postcare-templates", .adminOnly, "Save a new version of a post-care sheet", c.save)
    }

    @Sendable func show(_ request: Request, _ context: AppContext) async throws -> Response {
        let modality = request.uri.queryParameters.get("modality").flatMap(Modality.init(rawValue:)) ?? .microneedling
        return try await page(context, modality: modality)
    }

    @Sendable func save(_ request: Request, _ context: AppContext, _ form: FormBody) async throws -> Response {
        guard let modality = form["modality"].flatMap(Modality.init(rawValue:)) else {
            throw AppError.badRequest("Choose a modality.", field: "modality")
        }
        guard let base = form["baseVersion"].flatMap(Int.init) else { throw AppError.badRequest("The form has no version; reload the page.", field: "baseVersion") }
        let count = PostCareTemplate.windows.count
        let result = PostCareTemplate.validate(modality: modality, title: form["title"],
                                               instructions: (0..<count).map { form["instruction\($0)"] },
                                               sources: (0..<count).map { form["source\($0)"] }, version: base + 1)
        switch result {
        case .failure(let f):
            return try await page(context, modality: modality, edit: Self.draft(form, modality: modality, version: base + 1), baseVersion: base,
                                  errors: f.errors, banner: "Not saved: please correct the fields listed below.", status: .unprocessableContent)
        case .success(let template):
            do {
                _ = try await repository.add(template, baseVersion: base, clinicId: context.signedInUser.clinicId, authorId: context.signedInUser.id,
                                             by: context.auditActor)
            } catch StoreError.versionConflict(let current) {
                return try await page(context, modality: modality, edit: template, baseVersion: current,
                                      banner: "Someone saved version \(current) while you were editing. Your text is below; check version \(current) and save again.",
                                      status: .conflict)
            }
            return Response.redirect(to: "/postcare-templates?modality=\(modality.rawValue)", type: .normal)
        }
    }

    /// The sheet as typed, to show again beside its errors.
    static func draft(_ form: FormBody, modality: Modality, version: Int) -> PostCareTemplate {
        PostCareTemplate(id: PostCareTemplate.templateId(for: modality), version: String(version), modality: modality,
                         title: form["title"] ?? "",
                         sections: PostCareTemplate.windows.enumerated().map { i, w in
                             .init(window: w, instruction: form["instruction\(i)"] ?? "", source: form["source\(i)"] ?? "")
                         })
    }

    func page(_ context: AppContext, modality: Modality, edit: PostCareTemplate? = nil, baseVersion: Int? = nil,
              errors: [FieldError] = [], banner: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let versions = try await repository.versions(modality: modality, clinicId: context.signedInUser.clinicId)
        let current = versions[0].template
        let draft = edit ?? current
        func err(_ f: String) -> String? {
            let messages = errors.filter { $0.field == f }.map(\.message)
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        let page = PostCareTemplatesPage(
            modalities: Modality.allCases.map { m in
                .init(value: m.rawValue, label: ScreeningLabels.modality(m), url: "/postcare-templates?modality=\(m.rawValue)", selected: m == modality)
            },
            modality: modality.rawValue, modalityLabel: ScreeningLabels.modality(modality),
            currentVersion: current.version, baseVersion: baseVersion ?? Int(current.version) ?? 1,
            versions: versions.map { v in
                .init(version: v.template.version, versionId: v.template.versionId, title: v.template.title, shipped: v.shipped,
                      isCurrent: v.template.version == current.version, createdAt: v.createdAt.map(ViewDates.timestamp) ?? "", createdBy: v.createdBy ?? "",
                      sections: v.template.sections.map { .init(window: $0.window, instruction: $0.instruction, source: $0.source) })
            },
            title: draft.title, titleError: err("title"),
            sections: draft.sections.enumerated().map { i, s in
                .init(index: i, window: s.window, instruction: s.instruction, source: s.source,
                      instructionError: err("sections[\(i)].instruction"), sourceError: err("sections[\(i)].source"))
            },
            errors: errors, banner: banner)
        return views.render(.postcareTemplates, title: "Post-care sheets", section: "consent", page: page, context: context, status: status)
    }
}

/// The `postcare-templates` page's view model: every version of one modality's sheet and the form
/// for a new version (re-shown with the messages beside the fields when refused).
struct PostCareTemplatesPage {
    struct ModalityTab {
        var value: String
        var label: String
        var url: String
        var selected: Bool
    }

    struct Step {
        var window: String
        var instruction: String
        var source: String
    }

    struct Version {
        var version: String
        var versionId: String
        var title: String
        var shipped: Bool
        var isCurrent: Bool
        var createdAt: String
        var createdBy: String
        var sections: [Step]
    }

    struct Section {
        var index: Int
        var window: String
        var instruction: String
        var source: String
        var instructionError: String?
        var sourceError: String?
    }

    var modalities: [ModalityTab]
    var modality: String
    var modalityLabel: String
    var currentVersion: String
    var baseVersion: Int
    var versions: [Version]
    var title: String
    var titleError: String?
    var sections: [Section]
    var errors: [FieldError]
    var banner: String?
}

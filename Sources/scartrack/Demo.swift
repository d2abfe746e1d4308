import ArgumentParser
import Foundation
import ScarClinic
import ScarCore
import ScarServer
import ScarStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the configured database with a synthetic demo clinic (obviously fictional people).")

    @Option(help: "Number of patients to create.") var patients = 50
    @Option(help: "Seed for the generator, so a demo can be recreated exactly.") var seed: UInt64 = 2026
    @Option(help: "Also add this many synthetic treatment courses (assessments, plan, signed sessions, follow-ups, adverse events) for the analytics dashboard.")
    var courses = 0
    @Option(name: .customLong("synthetic-sessions"),
            help: "Also write this many signed sessions in bulk (synthetic courses in batched inserts, for the analytics benchmark; about 1M in minutes).")
    var syntheticSessions = 0
    @Flag(inversion: .prefixedNo, help: "Also book a working day: patients booked today and tomorrow in various states, one adverse event open.")
    var day = true

    func validate() throws {
        guard (1...100_000).contains(patients) else { throw ValidationError("--patients must be 1 to 100000") }
        guard (0...10_000).contains(courses) else { throw ValidationError("--courses must be 0 to 10000") }
        guard (0...5_000_000).contains(syntheticSessions) else { throw ValidationError("--synthetic-sessions must be 0 to 5000000") }
    }

    func run() async throws {
        let logger = CommandEnvironment.logger()
        let configuration = try CommandEnvironment.configuration()
        let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
        do {
            let started = Date()
            var summary = try await DemoClinic.fill(database, patients: patients, seed: seed, bcryptCost: configuration.bcryptCost)
            if courses > 0 {
                summary += "\n" + (try await DemoClinic.courses(database, files: configuration.photoFiles(database), count: courses, seed: seed))
            }
            if syntheticSessions > 0 {
                let clinic = try await Bootstrap.ensureClinic(database, named: nil)
                let bulk = try await SyntheticSessions.generate(database, clinicId: clinic.id, sessions: syntheticSessions, seed: seed, now: Date()) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
                summary += "\n" + String(format: "Synthetic sessions: %d signed sessions for %d patients, %d rows in %.1f s (%.0f rows/s, %.0f sessions/s)",
                                         bulk.sessions, bulk.patients, bulk.rows, bulk.seconds, bulk.rowsPerSecond, Double(bulk.sessions) / max(bulk.seconds, 0.001))
            }
            if day {
                summary += "\n" + (try await DemoClinic.day(database))
            }
            await database.shutdown()
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            print(summary)
            print(String(format: "Took %.1f s: %.1f patients/s%@", seconds, Double(patients) / seconds,
                         courses > 0 ? String(format: ", %.1f treated courses/s", Double(courses) / seconds) : ""))
        } catch {
            await database.shutdown()
            throw error
        }
    }
}

/// The synthetic clinic: practitioners with a shared demo password, and patients whose
/// family names say they are fictional.
enum DemoClinic {
    static let givenNames = ["Ada", "Bram", "Cleo", "Dev", "Esme", "Farid", "Gala", "Hugo", "Iris", "Jonas", "Kira", "Leo",
                             "Mina", "Noor", "Otto", "Pia", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vik", "Wren", "Yara", "Zeno"]
    static let familyNames = ["Example", "Sample", "Fictional", "Placeholder", "Testperson", "Demo", "Mock", "Synthetic"]
    static let staff: [(String, String, Role)] = [
        ("dr.demo@clinic.example", "Dr Dana Demo", .practitioner),
        ("nurse.sample@clinic.example", "Nurse Sam Sample", .practitioner),
        ("aesthetician.example@clinic.example", "Alex Example (aesthetician)", .practitioner),
        ("desk.demo@clinic.example", "Front Desk Demo", .frontDesk),
        ("research.demo@clinic.example", "Riley Research", .researcher),
    ]
    static let demoPassword = "demo-only-Password-2026"

    static func fill(_ database: ScarDatabase, patients count: Int, seed: UInt64, bcryptCost: UInt8) async throws -> String {
        var random = SplitMix64(seed: seed)
        let clinic = try await Bootstrap.ensureClinic(database, named: nil)
        let staffRepo = StaffRepository(database)
        let actor = AuditActor.commandLine(clinicId: clinic.id)
        var created = 0
        let hash = try await PasswordHasher(cost: bcryptCost).hash(demoPassword)
        for (email, name, role) in staff {
            do {
                _ = try await staffRepo.createUser(clinicId: clinic.id, email: email, displayName: name, role: role, passwordHash: hash, by: actor)
                created += 1
            } catch StoreError.duplicate {
                continue
            }
        }
        let repo = PatientRepository(database)
        let progress = Progress(label: "Patients", total: count)
        let today = CalendarDate.utc(Date())
        for i in 1...count {
            let year = today.year - Int.random(in: 18...55, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...CalendarDate.daysIn(month: month, year: year), using: &random)
            let input = PatientDetails.Input(
                givenName: givenNames.randomElement(using: &random)!,
                familyName: "\(familyNames.randomElement(using: &random)!)-\(i)",
                dateOfBirth: String(format: "%04d-%02d-%02d", year, month, day),
                sex: ["female", "male", "female", "other"].randomElement(using: &random)!,
                phone: String(format: "+44 7700 9%05d", Int.random(in: 0...99_999, using: &random)),
                email: "patient\(i)@example.invalid")
            guard case .success(let details) = PatientDetails.validate(input, today: today) else { continue }
            _ = try await repo.register(details, clinicId: clinic.id, by: actor)
            progress.update(i)
        }
        progress.finish()
        let total = try await repo.count(clinicId: clinic.id)
        return """
            Demo clinic "\(clinic.name)": \(count) synthetic patients added (\(total) in all), \(created) demo staff accounts created.
            Demo staff sign in with password \(demoPassword): \(staff.map(\.0).joined(separator: ", ")).
            Demo accounts are for trying the product only; remove them before real use.
            """
    }

    /// Synthetic treated patients: a baseline, a course of 1–5 sessions 28 days apart, a
    /// follow-up 3 months after the last session, sometimes an adverse event (a catalogue term,
    /// resolved on a date). Random, but from the seed. The grades are made up for the demo; they
    /// are not outcome data. Every step goes through its use case on the course's own day
    /// (`RecordDemoCourse`), so the courses pass the checks real charts pass.
    static func courses(_ database: ScarDatabase, files: any PhotoFiles, count: Int, seed: UInt64) async throws -> String {
        var random = SplitMix64(seed: seed &+ 17)
        let clinic = try await Bootstrap.ensureClinic(database, named: nil)
        let staff = try await StaffRepository(database).users(clinicId: clinic.id)
        let practitioners = staff.filter { $0.role == .practitioner }
        guard let first = practitioners.first else { return "No practitioner to chart the courses." }
        let actor = AuditActor(user: first, clientAddress: "scartrack demo")
        try await consentTemplates(database, clinicId: clinic.id, authorId: first.id, actor: actor)
        let templates = try await ProtocolTemplateRepository(database).list(clinicId: clinic.id, by: actor)
        let equipment = try await SyntheticCourses.equipment(database, clinicId: clinic.id, by: actor)
        let setting = RecordDemoCourse.Setting(clinic: clinic, staff: staff, equipment: equipment, deviceId: equipment.deviceId,
                                               prpLotId: equipment.prpLotId)
        let record = RecordDemoCourse(database, files: files)
        let zone = TimeZone(identifier: clinic.timeZone) ?? TimeZone(identifier: "UTC")!
        let today = CalendarDate(clinicDayOf: Date(), in: zone)
        let types: [ScarType] = [.rolling, .boxcar, .icePick]
        let progress = Progress(label: "Courses", total: count)
        var signed = 0, written = 0
        for i in 1...count {
            let n = Int.random(in: 1...5, using: &random)
            let start = today.adding(days: -Int.random(in: 250...700, using: &random))
            let baseline = Int.random(in: 2...4, using: &random)
            let improvement = Int.random(in: 0...2, using: &random)
            let dominant = types.randomElement(using: &random)!
            var counts: [ScarType: Int] = [:]
            counts[types.randomElement(using: &random)!] = Int.random(in: 0...5, using: &random)
            counts[dominant] = Int.random(in: 6...20, using: &random)
            let practitioner = practitioners.randomElement(using: &random) ?? first
            let template = templates.isEmpty ? nil : templates[Int.random(in: 0..<templates.count, using: &random)]
            let depth = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0].randomElement(using: &random)!
            let last = 7 + 28 * (n - 1)
            let input = PatientDetails.Input(givenName: givenNames.randomElement(using: &random)!, familyName: "Course-\(familyNames.randomElement(using: &random)!)-\(i)",
                                             dateOfBirth: String(format: "19%02d-%02d-15", Int.random(in: 70...99, using: &random), Int.random(in: 1...12, using: &random)),
                                             sex: ["female", "male"].randomElement(using: &random)!)
            guard case .success(let details) = PatientDetails.validate(input, today: today) else { continue }
            let course = SyntheticCourse(
                details: details, fitzpatrick: Int.random(in: 1...6, using: &random), start: start,
                modality: template?.definition.modality ?? .microneedling,
                plan: template.map { SyntheticCourse.Plan(templateVersionId: $0.id, templateId: $0.templateId, sessions: Int.random(in: 3...5, using: &random),
                                                          adjuncts: $0.definition.adjuncts) },
                assessments: [.init(day: 0, grade: baseline, counts: counts),
                              .init(day: last + 90, grade: max(1, baseline - improvement), counts: counts.mapValues { $0 / 2 })],
                sessions: (0..<n).map { .init(day: 7 + 28 * $0, depthMm: depth, practitionerId: practitioner.id) },
                adverseEvents: Int.random(in: 0..<8, using: &random) == 0
                    ? [.init(day: 10, sessionIndex: 0, term: "pih", resolvedAfterDays: Int.random(in: 14...90, using: &random))] : [])
            signed += try await record(course, in: setting, rater: practitioner, actor: actor, now: Date()).signedSessions
            written += 1
            progress.update(i)
        }
        progress.finish()
        return "\(written) synthetic treatment courses added through the clinic's own checks (\(signed) signed sessions, follow-ups, "
            + "some adverse events) for the analytics dashboard."
    }

    /// A consent template for each treatment the courses chart, when the clinic has none yet.
    static func consentTemplates(_ database: ScarDatabase, clinicId: UUID, authorId: UUID, actor: AuditActor) async throws {
        let consents = ConsentRepository(database)
        let kinds = Set(try await consents.templates(clinicId: clinicId).map(\.details.kind))
        for kind in [ConsentKind.microneedling, .rfMicroneedling] where !kinds.contains(kind) {
            _ = try await consents.addTemplate(ConsentTemplateDetails(
                kind: kind, title: "Consent to \(kind.label.lowercased()) (demo text)",
                body: "What the treatment is, what to expect afterwards, its risks and the alternatives.\n\nDemo text: a clinic writes its own."),
                clinicId: clinicId, authorId: authorId, by: actor)
        }
    }
}

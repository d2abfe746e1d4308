import ArgumentParser
import Foundation
import ScarCore
import ScarServer
import ScarStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the configured database with a synthetic demo clinic (obviously fictional people).")

    @Option(help: "Number of patients to create.") var patients = 50
    @Option(help: "Seed for the generator, so a demo can be recreated exactly.") var seed: UInt64 = 2026

    func validate() throws {
        guard (1...100_000).contains(patients) else { throw ValidationError("--patients must be 1 to 100000") }
    }

    func run() async throws {
        let logger = CommandEnvironment.logger()
        let configuration = try CommandEnvironment.configuration()
        let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
        do {
            let summary = try await DemoClinic.fill(database, patients: patients, seed: seed, bcryptCost: configuration.bcryptCost)
            await database.shutdown()
            print(summary)
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
        let today = ISODate.utc(Date())
        for i in 1...count {
            let year = today.year - Int.random(in: 18...55, using: &random)
            let month = Int.random(in: 1...12, using: &random)
            let day = Int.random(in: 1...ISODate.daysIn(month: month, year: year), using: &random)
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
}

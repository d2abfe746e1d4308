import ArgumentParser
import Foundation
import ScarCore
import ScarServer
import ScarStore

/// `scartrack clinic add|list`: the installation's operator manages clinics from the machine
/// that runs ScarTrack. Each clinic sees only its own records.
struct ClinicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic", abstract: "Manage the clinics of this installation (operator).", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a clinic and its first administrator.",
            discussion: """
                Prints the administrator's one-time password once (only its hash is stored). It must be changed at \
                first sign-in, and the administrator must then turn on two-factor sign-in.
                """)

        @Option(help: "The clinic's name (unique in this installation).") var name: String
        @Option(help: "IANA time zone of the clinic, e.g. Europe/London.") var timeZone = "UTC"
        @Option(help: "Sign-in email of the clinic's first administrator.") var adminEmail: String
        @Option(help: "Name shown for the administrator.") var adminName = "Administrator"

        func run() async throws {
            let new: NewClinic
            switch NewClinic.validate(.init(name: name, timeZone: timeZone, adminEmail: adminEmail, adminName: adminName)) {
            case .success(let v): new = v
            case .failure(let f):
                throw ValidationError(f.errors.map { "--" + Self.flag($0.field) + " " + $0.message }.joined(separator: "; "))
            }
            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
            let created: ClinicProvisioning.Created
            do {
                created = try await ClinicProvisioning.create(new, database: database, hasher: PasswordHasher(cost: configuration.bcryptCost),
                                                              by: .commandLine())
            } catch StoreError.duplicate(let field) {
                await database.shutdown()
                throw CommandFailure(field == "adminEmail" ? "An account with the email \(new.adminEmail) already exists."
                                                           : "A clinic named \(new.name) already exists.")
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print("Created clinic \(created.clinic.name) (id \(created.clinic.id.lower), time zone \(created.clinic.timeZone)).")
            print("Administrator: \(created.admin.email)  one-time password: \(created.oneTimePassword)  (shown once; change it at first sign-in)")
        }

        static func flag(_ field: String) -> String {
            switch field {
            case "timeZone": "time-zone"
            case "adminEmail": "admin-email"
            case "adminName": "admin-name"
            default: field
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the clinics: id, name, time zone, staff and patient counts (tab-separated).")

        func run() async throws {
            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
            let clinics: [ClinicRepository.Summary]
            do {
                clinics = try await ClinicRepository(database).summaries()
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print(["id", "name", "time zone", "staff", "patients"].joined(separator: "\t"))
            for c in clinics {
                print([c.id.lower, c.name, c.timeZone, String(c.staffCount), String(c.patientCount)].joined(separator: "\t"))
            }
        }
    }
}

import ArgumentParser
import Foundation
import ScarCore
import ScarServer
import ScarStore

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account.",
            discussion: "The password is read from standard input when it is not a terminal; otherwise one is generated and printed once.")

        @Option(help: "Sign-in email.") var email: String
        @Option(help: "admin, practitioner, front-desk or researcher.") var role: String
        @Option(help: "Clinic id or exact name (see clinic list); needed when there are several clinics (default: the only clinic; created if none exists).") var clinic: String?
        @Option(help: "Name shown in the app (default: from the email).") var name: String?
        @Flag(help: "Generate a password even when standard input is not a terminal.") var generate = false

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let address = email.trimmingCharacters(in: .whitespaces).lowercased()
            guard address.split(separator: "@").count == 2, address.contains("."), !address.contains(" ") else {
                throw ValidationError("--email must be an email address")
            }
            var generated: String?
            let password: String
            if !generate, isatty(STDIN_FILENO) == 0 {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("No password on standard input (or pass --generate)")
                }
                password = line
            } else {
                password = Bootstrap.generatePassword()
                generated = password
            }
            let problems = PasswordPolicy.problems(password, email: address)
            guard problems.isEmpty else { throw ValidationError("The password " + problems.joined(separator: "; ")) }

            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
            do {
                let clinic = try await Bootstrap.ensureClinic(database, named: clinic)
                let hash = try await PasswordHasher(cost: configuration.bcryptCost).hash(password)
                let displayName = name ?? address.split(separator: "@").first.map(String.init) ?? address
                let user = try await StaffRepository(database).createUser(
                    clinicId: clinic.id, email: address, displayName: displayName, role: role, passwordHash: hash,
                    by: .commandLine(clinicId: clinic.id))
                print("Created \(user.role.rawValue) \(user.email) in \(clinic.name).")
                if let generated { print("One-time password: \(generated)  (shown once; not stored in clear text)") }
            } catch StoreError.duplicate {
                await database.shutdown()
                throw CommandFailure("An account with the email \(address) already exists.")
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}

import ArgumentParser

@main
struct ScarTrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scartrack",
        abstract: "ScarTrack: microneedling treatment courses for acne scars, from consultation to follow-up.",
        discussion: "Supports clinical decisions; does not give medical advice.",
        subcommands: [Serve.self, Migrate.self, User.self, ClinicCommand.self, Demo.self, Audit.self, BackupCommand.self, RestoreCommand.self,
                      PhotosCommand.self, Screen.self, Score.self, Stats.self, ImportCommand.self])
}

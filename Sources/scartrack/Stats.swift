import ArgumentParser
import ScarCore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Statistics for studies.", subcommands: [Paired.self])

    struct Paired: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Paired comparison of CSV `subject,a,b` on stdin (differences a − b): mean, 95% CI, paired t-test, Wilcoxon signed-rank.",
            discussion: "Matches scipy.stats.ttest_rel and scipy.stats.wilcoxon with default arguments. Rows with a missing value are dropped and counted; invalid input exits 2 naming the line.")

        func run() throws {
            try CommandIO.emit(StatsCommand.paired(input: CommandIO.readStandardInput()))
        }
    }
}

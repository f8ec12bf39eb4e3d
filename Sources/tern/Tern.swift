import ArgumentParser
import TernIO

@main
struct Tern: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tern",
        abstract: "Tern: a small-footprint machine-translation toolkit.",
        version: TernVersion.current,
        subcommands: [
            VocabCommand.self,
            TokenizeCommand.self,
            DetokenizeCommand.self,
            CorpusCommand.self,
            ModelCommand.self,
            TranslateCommand.self,
            BatchCommand.self,
            TrainCommand.self,
            AverageCommand.self,
            EvalCommand.self,
            CompareCommand.self,
            InfoCommand.self,
            ServeCommand.self,
        ]
    )

    /// Parses the command line and runs the command, after putting `/dev/null` in place of a
    /// closed standard stream (see `StandardStreams`).
    static func main() async {
        StandardStreams.occupyClosedDescriptors()
        FreedMemoryRetention.keepFreedMemoryForReuse()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

enum TernVersion {
    static let current = "0.1.0"
}

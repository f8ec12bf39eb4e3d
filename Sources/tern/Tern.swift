import ArgumentParser

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
            TranslateCommand.self,
            BatchCommand.self,
            TrainCommand.self,
            AverageCommand.self,
            EvalCommand.self,
            CompareCommand.self,
            InfoCommand.self,
        ]
    )
}

enum TernVersion {
    static let current = "0.1.0"
}

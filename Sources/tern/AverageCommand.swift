import ArgumentParser
import Foundation
import TernIO
import TernTraining

struct AverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average",
        abstract: "Average a run's newest parameter snapshots into one model, validate it and export it.",
        discussion: """
        The run must have been trained with --snapshot-every. The averaged model is scored on the \
        run's validation set (loss and greedy BLEU, as during training) and written to --output \
        with the run's configuration; its training-summary.json lists the steps averaged.

        Example: tern average --name en-de-general --last 10 --output Models/en-de/encdec
        """
    )

    @OptionGroup var runFolder: RunFolderOptions
    @Option(help: "How many of the newest snapshots to average.") var last = 10
    @Option(help: "Folder for the averaged model.") var output: String

    func validate() throws {
        guard last > 0 else { throw ValidationError("--last must be at least 1.") }
    }

    func run() async throws {
        try await reportingFailures {
            let configuration = try TrainingConfiguration.load(path: runFolder.runDirectory + "/configuration.json")
            let command = (["tern"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            let trainer = try Trainer(configuration: configuration, runDirectory: runFolder.runDirectory, command: command)
            let averaged = try trainer.exportAverage(last: last, to: output)
            let steps = averaged.steps.map(String.init).joined(separator: ", ")
            print(String(format: "averaged steps %@: valid loss %.3f, valid BLEU %.2f (best single checkpoint: %.2f at step %d); exported to %@",
                         steps, averaged.validationLoss, averaged.validationBLEU, trainer.state.bestBLEU, trainer.state.bestStep, output))
        }
    }
}

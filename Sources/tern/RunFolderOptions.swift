import ArgumentParser
import Foundation

/// Names a training run's folder: `~/.cache/tern/runs/NAME` unless `--run-dir` is given.
struct RunFolderOptions: ParsableArguments {
    @Option(help: "Run name; the run folder is ~/.cache/tern/runs/NAME unless --run-dir is given.") var name: String
    @Option(help: "Run folder (checkpoints, configuration, log).") var runDir: String?

    var runDirectory: String {
        runDir ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/tern/runs/\(name)").path
    }
}

import ArgumentParser

/// `--input` and `--output`, shared by every command that maps lines to lines.
struct IOOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Read lines from this file instead of standard input.")
    var input: String?

    @Option(name: .shortAndLong, help: "Write lines to this file instead of standard output.")
    var output: String?
}

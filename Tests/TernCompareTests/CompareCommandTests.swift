import Foundation
import TernCompare
import TestSupport
import Testing

/// `tern compare` run as a user would run it.
@Suite struct CompareCommandTests {
    static func write(_ lines: [String], to folder: TemporaryDirectory, name: String) throws -> String {
        let path = folder.file(name)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("--format markdown prints one summary row per mode")
    func markdown() throws {
        let fixture = try CompareFixture(), files = try TemporaryDirectory()
        let reference = try Self.write(CompareFixture.references, to: files, name: "ref.de")
        let result = try ProcessRunner.tern(["compare"] + fixture.folderArguments + ["--reference", reference, "--format", "markdown", "--max-length", "8"],
                                            input: CompareFixture.lines.joined(separator: "\n") + "\n")
        #expect(result.exitCode == 0, "\(result.errorText)")
        let summary = try #require(result.outputText.components(separatedBy: "### Summary\n\n").last)
        let rows = summary.split(separator: "\n").prefix { $0.hasPrefix("|") }
        #expect(rows.count == 2 + 3, "header, rule, and one row per mode")
        #expect(rows[0].contains("| BLEU | chrF |"))
        #expect(rows.dropFirst(2).map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) } == ["encdec", "prefix-lm", "causal-lm"])
        let outputs = result.outputText.components(separatedBy: "### Outputs\n\n")[1].components(separatedBy: "\n\n")[0].split(separator: "\n")
        #expect(outputs.count == 2 + CompareFixture.lines.count)
    }

    @Test("the default text format lines the outputs up, then the summary table")
    func text() throws {
        let fixture = try CompareFixture(), files = try TemporaryDirectory()
        let input = try Self.write(CompareFixture.lines, to: files, name: "in.en")
        let result = try ProcessRunner.tern(["compare"] + fixture.folderArguments + ["--input", input, "--max-length", "8", "--cache-ablation"])
        #expect(result.exitCode == 0, "\(result.errorText)")
        let text = result.outputText
        #expect(text.contains("Summary\nmode "))
        #expect(text.contains("same as cached"))
        for label in ["encdec/recompute", "prefix-lm/recompute", "causal-lm/recompute"] { #expect(text.contains(label)) }
        #expect(!text.contains("BLEU"), "no reference, no scores")
    }

    @Test("--format json through the command line reads back as the documented report")
    func json() throws {
        let fixture = try CompareFixture(), files = try TemporaryDirectory()
        let reference = try Self.write(CompareFixture.references, to: files, name: "ref.de")
        let svg = files.file("figure.svg")
        let result = try ProcessRunner.tern(["compare"] + fixture.folderArguments
            + ["--reference", reference, "--format", "json", "--tokenize", "intl", "--max-length", "8", "--svg", svg, "--svg-sentence", "3"],
            input: CompareFixture.lines.joined(separator: "\n") + "\n")
        #expect(result.exitCode == 0, "\(result.errorText)")
        let report = try JSONReport.parse(result.outputText)
        #expect(report.modes.map(\.mode) == ["encdec", "prefix-lm", "causal-lm"])
        #expect(report.scoring?.tokenize == "intl")
        #expect(report.decoding.maxLength == 8)
        #expect(report.sentences.map(\.source) == CompareFixture.lines)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("Attention in line 3"))
    }

    @Test("--compute-type float32 gives every mode the default's outputs; int8 runs every mode")
    func computeType() throws {
        let fixture = try CompareFixture()
        let input = CompareFixture.lines.joined(separator: "\n") + "\n"
        func report(_ computeType: [String]) throws -> ComparisonReport {
            let result = try ProcessRunner.tern(["compare"] + fixture.folderArguments + ["--format", "json", "--max-length", "8"] + computeType,
                                                input: input)
            #expect(result.exitCode == 0, "\(result.errorText)")
            return try JSONReport.parse(result.outputText)
        }
        #expect(try report(["--compute-type", "float32"]).sentences.map(\.outputs) == report([]).sentences.map(\.outputs))
        #expect(try report(["--compute-type", "int8"]).sentences.allSatisfy { $0.outputs.count == 3 })
    }

    @Test("a named model without decoder-only folders compares what it has, with a warning; asked-for modes must exist")
    func namedModelWithEncoderDecoderOnly() throws {
        let fixture = try CompareFixture(), root = try TemporaryDirectory()
        let pairFolder = root.url.appendingPathComponent("Models/xx-yy")
        try FileManager.default.createDirectory(at: pairFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.paths[.encoderDecoder]!, toPath: pairFolder.appendingPathComponent("encdec").path)
        let input = Data((CompareFixture.lines.joined(separator: "\n") + "\n").utf8)
        let result = try ProcessRunner.run(ProcessRunner.ternExecutable, ["compare", "--model", "xx-yy", "--format", "json", "--max-length", "8"],
                                           input: input, currentDirectory: root.path)
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(try JSONReport.parse(result.outputText).modes.map(\.mode) == ["encdec"])
        #expect(result.errorText.contains("warning: xx-yy has no prefix-lm or causal-lm model"))

        let asked = try ProcessRunner.run(ProcessRunner.ternExecutable, ["compare", "--model", "xx-yy", "--modes", "encdec,prefix-lm"],
                                          input: input, currentDirectory: root.path)
        #expect(asked.exitCode == 1)
        #expect(asked.errorText.contains("no model 'xx-yy'"))
    }

    @Test("a reference whose line count differs from the input's is a clear one-line error")
    func mismatchedReference() throws {
        let fixture = try CompareFixture(), files = try TemporaryDirectory()
        let reference = try Self.write(Array(CompareFixture.references.prefix(3)), to: files, name: "ref.de")
        let result = try ProcessRunner.tern(["compare"] + fixture.folderArguments + ["--reference", reference],
                                            input: CompareFixture.lines.joined(separator: "\n") + "\n")
        #expect(result.exitCode == 1)
        #expect(result.errorText == "error: the reference has 3 lines but the input has 4; --reference must hold one line per input line\n")
        #expect(result.outputText.isEmpty)
    }

    @Test("bad options are refused before anything runs")
    func badOptions() throws {
        for arguments in [["--format", "html"], ["--tokenize", "moses"], ["--cache-ablation", "--no-cache"], ["--modes", "rnn"]] {
            let result = try ProcessRunner.tern(["compare", "--encdec", "/nonexistent"] + arguments, input: "A dog.\n")
            #expect(result.exitCode != 0, "\(arguments)")
            #expect(!result.errorText.isEmpty)
        }
        let modes = try ProcessRunner.tern(["compare", "--encdec", "/nonexistent", "--modes", "encdec,rnn"], input: "A dog.\n")
        #expect(modes.exitCode == 64, "an unknown mode is a usage error, found while parsing")
        #expect(modes.errorText.contains("unknown mode 'rnn' in --modes; choose from encdec, prefix-lm, causal-lm"), "\(modes.errorText)")
        let format = try ProcessRunner.tern(["compare", "--encdec", "/nonexistent", "--format", "html"], input: "A dog.\n")
        #expect(format.exitCode == 64)
        #expect(format.errorText.contains("The value 'html' is invalid for '--format <format>'. Please provide one of 'text', 'json' or 'markdown'."),
                "\(format.errorText)")
        let tokenize = try ProcessRunner.tern(["compare", "--encdec", "/nonexistent", "--tokenize", "moses"], input: "A dog.\n")
        #expect(tokenize.exitCode == 64)
        #expect(tokenize.errorText.contains("'13a', 'zh', 'intl' or 'none'"), "\(tokenize.errorText)")
    }
}

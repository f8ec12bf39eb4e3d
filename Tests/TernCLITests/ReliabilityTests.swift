import Foundation
import TernModel
import TernTokenizer
import TestSupport
import Testing

/// Regression tests for what hostile and clumsy input did to the command line.
@Suite struct ReliabilityTests {
    @Test("tern translate with the bundled default model answers each line while its input is still open, then the next one")
    func interactiveTranslate() throws {
        let lines = ["Where is the nearest train station?", "Thank you very much."]
        let process = try InteractiveProcess(ProcessRunner.ternExecutable, ["translate"])
        var answers: [String] = []
        for line in lines {
            try process.send(line + "\n")
            let answer = process.readLine(timeout: 60)
            #expect(answer != nil, "no answer to '\(line)' while standard input was open")
            answers.append(answer ?? "")
        }
        let finished = try process.finish()
        #expect(finished.exitCode == 0, "\(finished.errorText)")
        #expect(answers.allSatisfy { !$0.isEmpty }, "\(answers)")
        // The same lines given all at once (and batched together) translate the same.
        let together = try ProcessRunner.tern(["translate"], input: lines.joined(separator: "\n") + "\n")
        #expect(together.outputText == answers.joined(separator: "\n") + "\n")
    }

    @Test("tern tokenize and detokenize answer each line while their input is still open", arguments: ["tokenize", "detokenize"])
    func interactiveTokenizers(command: String) throws {
        let process = try InteractiveProcess(ProcessRunner.ternExecutable, [command, "--vocab", PackagePaths.vocabulary("multi30k-en-de")])
        try process.send(command == "tokenize" ? "A dog runs.\n" : "A ▁dog ▁runs .\n")
        let answer = process.readLine(timeout: 30)
        #expect(answer == (command == "tokenize" ? "A ▁dog ▁runs ." : "A dog runs."))
        #expect(try process.finish().exitCode == 0)
    }

    @Test("a CRLF line is read without its \\r: a blank CRLF line stays blank")
    func crlf() throws {
        let folder = try TranslateCommandTests.model()
        let result = try ProcessRunner.tern(["translate", "--model", folder.path, "--max-length", "6"], input: "\r\nA dog.\r\n")
        #expect(result.exitCode == 0)
        #expect(result.outputText.hasPrefix("\n"), "the blank CRLF line must translate to an empty line")
        let tokens = try ProcessRunner.tern(["tokenize", "--vocab", PackagePaths.vocabulary("multi30k-en-de")], input: "A dog.\r\n")
        #expect(!tokens.outputText.contains("<0x0D>"))
    }

    @Test("detokenize keeps one line per line when byte pieces spell a line break")
    func detokenizeLineBreaks() throws {
        let vocabulary = try VocabularyStore.load(from: PackagePaths.vocabulary("multi30k-en-de"))
        let newline = SubwordVocabulary.firstByteID + 0x0A, carriageReturn = SubwordVocabulary.firstByteID + 0x0D
        let dog = try #require(vocabulary.pieces.firstIndex(of: "▁dog"))
        let input = "\(dog) \(newline) \(dog)\n\(dog) \(carriageReturn) \(dog)\n"
        let result = try ProcessRunner.tern(["detokenize", "--ids", "--vocab", PackagePaths.vocabulary("multi30k-en-de")], input: input)
        #expect(result.exitCode == 0)
        // "▁dog" reads " dog"; the line break between them becomes a space.
        #expect(result.outputText == " dog  dog\n dog  dog\n")
    }

    @Test("detokenize splits pieces at every space, also one followed by a combining mark")
    func detokenizeCombiningMarks() throws {
        let vocab = PackagePaths.vocabulary("multi30k-en-de")
        let text = "a \u{301}b ❤ \u{FE0F}\n"
        let pieces = try ProcessRunner.tern(["tokenize", "--vocab", vocab], input: text)
        let back = try ProcessRunner.tern(["detokenize", "--vocab", vocab], input: pieces.outputText)
        #expect(back.exitCode == 0, "\(back.errorText)")
        #expect(Array(back.outputText.unicodeScalars) == Array(text.unicodeScalars))
    }

    @Test("detokenize names the line and the text of an id that is not one", arguments: ["99999999999999999999", "1.5", "-3", "6000"])
    func detokenizeBadIDs(bad: String) throws {
        let result = try ProcessRunner.tern(["detokenize", "--ids", "--vocab", PackagePaths.vocabulary("multi30k-en-de")], input: "5\n5 \(bad)\n")
        #expect(result.exitCode == 1)
        #expect(result.errorText.contains("stdin:2: '\(bad)' is not a token id"), "\(result.errorText)")
    }

    @Test("runaway beams and non-finite length penalties are usage errors (exit 64)", arguments: [
        ["--beam", "100000"], ["--length-penalty", "nan"], ["--length-penalty", "inf"],
    ])
    func badSearchOptions(options: [String]) throws {
        let result = try ProcessRunner.tern(["translate"] + options, input: "A dog.\n")
        #expect(result.exitCode == 64)
        #expect(result.errorText.contains(options[0]))
    }

    @Test("--output follows a symbolic link and writes through a device, never replacing either")
    func outputThroughLinksAndDevices() throws {
        let folder = try TranslateCommandTests.model()
        let scratch = try TemporaryDirectory()
        let target = scratch.file("target.txt"), link = scratch.file("link.txt")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let linked = try ProcessRunner.tern(["translate", "--model", folder.path, "--max-length", "4", "--output", link], input: "A dog.\n")
        #expect(linked.exitCode == 0, "\(linked.errorText)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target, "the link must stay a link")
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasSuffix("\n"))

        let full = try ProcessRunner.tern(["translate", "--model", folder.path, "--max-length", "4", "--output", "/dev/full"], input: "A dog.\n")
        #expect(full.exitCode == 1)
        #expect(full.errorText.contains("cannot write '/dev/full'"))
        var status = stat()
        #expect(stat("/dev/full", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR, "/dev/full must still be a device")

        let batch = try ProcessRunner.tern(["batch", "--model", folder.path, "--input", target, "--output", "/dev/null"])
        #expect(batch.exitCode == 1)
        #expect(batch.errorText.contains("is a device"))
        #expect(stat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR, "/dev/null must still be a device")
    }

    @Test("folders and closed streams give messages that name them")
    func ioMessages() throws {
        let folder = try TemporaryDirectory()
        let input = try ProcessRunner.tern(["tokenize", "--vocab", PackagePaths.vocabulary("multi30k-en-de"), "--input", folder.path])
        #expect(input.exitCode == 1)
        #expect(input.errorText.contains("'\(folder.path)'") && input.errorText.contains("it is a folder"))
        let output = try ProcessRunner.tern(["tokenize", "--vocab", PackagePaths.vocabulary("multi30k-en-de"), "--output", folder.path], input: "x\n")
        #expect(output.exitCode == 1)
        #expect(output.errorText.contains("it is a folder"))
        let closedInput = try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" tokenize --vocab \"$1\" <&-", ProcessRunner.ternExecutable,
                                                             PackagePaths.vocabulary("multi30k-en-de")])
        #expect(closedInput.exitCode == 1)
        #expect(closedInput.errorText.contains("cannot read standard input: it is closed"))
        let closedOutput = try ProcessRunner.run("/bin/sh", ["-c", "echo x | \"$0\" tokenize --vocab \"$1\" >&-", ProcessRunner.ternExecutable,
                                                              PackagePaths.vocabulary("multi30k-en-de")])
        #expect(closedOutput.exitCode == 1)
        #expect(closedOutput.errorText.contains("cannot write standard output: it is closed"))
    }

    @Test("tern compare checks its output paths before running any model")
    func compareChecksOutputsFirst() throws {
        let folder = try TranslateCommandTests.model()
        let started = Date()
        let result = try ProcessRunner.tern(["compare", "--encdec", folder.path, "--modes", "encdec", "--svg", "/nonexistent-folder/x.svg"],
                                            input: "A dog.\n")
        #expect(result.exitCode == 1)
        #expect(result.errorText.contains("/nonexistent-folder/x.svg"))
        #expect(!result.errorText.contains("encdec:"), "no model output before the error")
        _ = started
    }

    @Test("tern compare shows control characters of its input as symbols, never raw", arguments: ["text", "markdown"])
    func compareEscapesControlCharacters(format: String) throws {
        let folder = try TranslateCommandTests.model()
        let result = try ProcessRunner.tern(["compare", "--encdec", folder.path, "--modes", "encdec", "--max-length", "4", "--format", format],
                                            input: "A \u{1B}[31mred\u{1B}[0m dog.\rX\u{7F}\n")
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(!result.outputText.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F })
        #expect(result.outputText.contains("␛[31mred␛[0m dog.␍X␡"))
    }

    @Test("damaged config.json fields are refused before allocating, naming the JSON key", arguments: [
        ("decoder_layers", "1000000000", "decoder_layers is 1000000000"),
        ("encoder_layers", "1000000000", "encoder_layers is 1000000000"),
        ("max_position_embeddings", "1000000000000000", "max_position_embeddings"),
        ("max_position_embeddings", "10000000", "max_position_embeddings"),
        ("d_model", "128.5", "'d_model' must be a whole number"),
        ("vocab_size", "1000000000", "vocab_size 1000000000"),
        ("decoder_ffn_dim", "\"wide\"", "'decoder_ffn_dim' must be a whole number"),
    ])
    func damagedConfig(key: String, value: String, message: String) throws {
        let folder = try TranslateCommandTests.model()
        let configPath = folder.file("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any])
        config[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        for command in [["info", folder.path], ["translate", "--model", folder.path]] {
            let result = try ProcessRunner.tern(command, input: "A dog.\n")
            #expect(result.exitCode == 1, "\(command[0]): \(result.errorText)")
            #expect(result.errorText.contains(message), "\(command[0]): \(result.errorText)")
        }
    }

    @Test("a sentence longer than the model's positions is translated in parts, and said so")
    func longSentence() throws {
        let folder = try TranslateCommandTests.model()
        let words = (0..<400).map { ["dog", "cat", "man", "runs", "blue"][$0 % 5] }.joined(separator: " ")
        let result = try ProcessRunner.tern(["translate", "--model", folder.path, "--max-length", "3", "--verbose"], input: words + "\nA dog.\n")
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText.split(separator: "\n", omittingEmptySubsequences: false).count == 3)
        #expect(result.errorText.contains("stdin:1: 1 sentence(s) longer than the model's positions"))
        // 400 words of one piece each, 64 positions: 7 parts of at most 63 pieces, so 7 encoder inputs.
        #expect(result.errorText.contains("sentences encoded 8"), "\(result.errorText)")
    }

    @Test("a second tern batch on the same output is refused while the first holds the lock")
    func batchLock() throws {
        let folder = try TranslateCommandTests.model()
        let scratch = try TemporaryDirectory()
        let input = scratch.file("in.txt"), output = scratch.file("out.txt")
        try Data(String(repeating: "A dog runs in the park.\n", count: 3).utf8).write(to: URL(fileURLWithPath: input))
        // Hold the lock as a first run would.
        let partial = open(output + ".partial", O_RDWR | O_CREAT, 0o644)
        #expect(flock(partial, LOCK_EX | LOCK_NB) == 0)
        let second = try ProcessRunner.tern(["batch", "--model", folder.path, "--input", input, "--output", output, "--max-length", "4"])
        #expect(second.exitCode == 1)
        #expect(second.errorText.contains("another run is writing \(output)"), "\(second.errorText)")
        close(partial)
        let after = try ProcessRunner.tern(["batch", "--model", folder.path, "--input", input, "--output", output, "--max-length", "4"])
        #expect(after.exitCode == 0, "\(after.errorText)")
    }
}

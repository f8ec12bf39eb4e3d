import Foundation
import TestSupport
import Testing

/// The `tern` executable, run as a user would run it.
@Suite struct TokenizeCommandTests {
    static let vocabulary = PackagePaths.vocabulary("multi30k-en-de")
    static let chineseVocabulary = PackagePaths.vocabulary("en-zh")

    @Test("tokenize then detokenize gives back the normalized text, line for line")
    func roundTripThroughTheCommandLine() throws {
        let input = "A man  rides a bike.\n\nZwei Hunde spielen im Schnee!\nｆｕｌｌ width\n😀 \t tab\n"
        let pieces = try ProcessRunner.tern(["tokenize", "--vocab", Self.vocabulary], input: input)
        #expect(pieces.exitCode == 0)
        #expect(pieces.outputText.split(separator: "\n", omittingEmptySubsequences: false).count == 6)
        let text = try ProcessRunner.tern(["detokenize", "--vocab", Self.vocabulary], input: pieces.outputText)
        #expect(text.exitCode == 0)
        #expect(text.outputText == "A man  rides a bike.\n\nZwei Hunde spielen im Schnee!\nfull width\n😀 \t tab\n")
    }

    @Test("--ids prints ids that detokenize --ids reads back")
    func idsRoundTrip() throws {
        let ids = try ProcessRunner.tern(["tokenize", "--vocab", Self.chineseVocabulary, "--ids"], input: "我爱你，今天天气很好。\n")
        #expect(ids.exitCode == 0)
        #expect(ids.outputText.split(separator: " ").allSatisfy { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) != nil })
        let text = try ProcessRunner.tern(["detokenize", "--vocab", Self.chineseVocabulary, "--ids"], input: ids.outputText)
        #expect(text.outputText == "我爱你,今天天气很好。\n")
    }

    @Test("invalid UTF-8 is replaced with U+FFFD, warned about, and no line is lost")
    func invalidUTF8() throws {
        let input = Data("good\n".utf8) + Data([0x62, 0x61, 0xFF, 0x64, 0x0A]) + Data("last".utf8)
        let result = try ProcessRunner.run(ProcessRunner.ternExecutable, ["tokenize", "--vocab", Self.vocabulary], input: input)
        #expect(result.exitCode == 0)
        #expect(result.errorText.contains("stdin:2: invalid UTF-8 replaced with U+FFFD"))
        let lines = result.outputText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        let back = try ProcessRunner.tern(["detokenize", "--vocab", Self.vocabulary], input: result.outputText)
        #expect(back.outputText == "good\nba\u{FFFD}d\nlast\n")
    }

    @Test("--input and --output read and write files")
    func fileArguments() throws {
        let folder = try TemporaryDirectory()
        try "one\ntwo\n".write(toFile: folder.file("in.txt"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.tern(["tokenize", "--vocab", Self.vocabulary, "--input", folder.file("in.txt"), "--output", folder.file("out.txt")])
        #expect(result.exitCode == 0)
        #expect(try String(contentsOfFile: folder.file("out.txt"), encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test("a missing vocabulary fails with exit code 1 and a message saying what to do")
    func missingVocabulary() throws {
        let result = try ProcessRunner.tern(["tokenize", "--vocab", "/nonexistent/vocab"], input: "x\n")
        #expect(result.exitCode == 1)
        #expect(result.errorText.contains("manifest.json"))
        #expect(result.errorText.contains("tern vocab learn"))
    }

    @Test("detokenize names a piece that is not in the vocabulary")
    func unknownPiece() throws {
        let result = try ProcessRunner.tern(["detokenize", "--vocab", Self.vocabulary], input: "▁a ▁nosuchpieceatall\n")
        #expect(result.exitCode == 1)
        #expect(result.errorText.contains("nosuchpieceatall"))
    }

    @Test("vocab learn writes a loadable vocabulary and refuses a size that is too small")
    func vocabLearn() throws {
        let folder = try TemporaryDirectory()
        let corpus = PackagePaths.file("Corpora/smoke/smoke.en")
        let learned = try ProcessRunner.tern(["vocab", "learn", "--corpus", corpus, "--size", "400", "--out", folder.file("v")])
        #expect(learned.exitCode == 0, "\(learned.errorText)")
        let pieces = try ProcessRunner.tern(["tokenize", "--vocab", folder.file("v")], input: "I love you.\n")
        #expect(pieces.exitCode == 0)
        let tooSmall = try ProcessRunner.tern(["vocab", "learn", "--corpus", corpus, "--size", "10", "--out", folder.file("w")])
        #expect(tooSmall.exitCode == 1)
        #expect(tooSmall.errorText.contains("--size 262"))
    }

    @Test("--help answers for every command, and --version answers")
    func helpAndVersion() throws {
        let version = try ProcessRunner.tern(["--version"])
        #expect(version.exitCode == 0 && !version.outputText.isEmpty)
        let commands = [["tokenize"], ["detokenize"], ["vocab", "learn"], ["corpus"], ["corpus", "list"], ["corpus", "import"],
                        ["corpus", "fetch"], ["corpus", "combine"], ["translate"], ["batch"], ["train"], ["average"], ["eval"], ["compare"], ["info"]]
        for command in commands {
            let help = try ProcessRunner.tern(command + ["--help"])
            #expect(help.exitCode == 0, "tern \(command.joined(separator: " ")) --help")
            #expect(help.outputText.contains("USAGE: tern \(command.joined(separator: " "))"))
        }
    }
}

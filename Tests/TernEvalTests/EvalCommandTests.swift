import Foundation
import TestSupport
import Testing

/// `tern eval`, run as a user would run it. Expected lines are sacreBLEU 2.6.0's
/// `sacrebleu REF... -i HYP -f text -w 2` output for the same files.
@Suite struct EvalCommandTests {
    static func write(_ text: String, _ name: String, in folder: TemporaryDirectory) throws -> String {
        try text.write(toFile: folder.file(name), atomically: true, encoding: .utf8)
        return folder.file(name)
    }

    @Test("text output is sacreBLEU's: aligned score lines with signatures")
    func textOutput() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("a b c d e\nthe cat\n", "hyp.txt", in: folder)
        let reference = try Self.write("a b c d f\nthe cat sat\n", "ref.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", reference])
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText == """
              BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 59.94 85.7/80.0/66.7/50.0 (BP = 0.867 ratio = 0.875 hyp_len = 7 ref_len = 8)
            chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = 55.53

            """)
        #expect(result.errorText.isEmpty)
    }

    @Test("several references, the zh tokenizer, lowercasing and chrF++")
    func optionsReachTheMetrics() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("我爱北京天安门。Hello World\n他说：“GPT-4 很好。”\nThe END.\n", "hyp.txt", in: folder)
        let first = try Self.write("我爱北京。hello world\n他说：“GPT-4 不错。”\nthe end.\n", "ref1.txt", in: folder)
        let second = try Self.write("我爱天安门。Hello\n他说 GPT-4 很好。\nThe End!\n", "ref2.txt", in: folder)
        let result = try ProcessRunner.tern([
            "eval", "--hypothesis", hypothesis, "--reference", first, "--reference", second,
            "--tokenize", "zh", "--lowercase", "--metrics", "bleu,chrf++",
        ])
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText == """
                 BLEU|nrefs:2|case:lc|eff:no|tok:zh|smooth:exp|version:2.6.0 = 75.67 100.0/94.7/75.0/46.2 (BP = 1.000 ratio = 1.158 hyp_len = 22 ref_len = 19)
            chrF2++|nrefs:2|case:lc|eff:yes|nc:6|nw:2|space:no|version:2.6.0 = 71.39

            """)
    }

    @Test("--format json gives the numbers")
    func jsonOutput() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("a b c d e\nthe cat\n", "hyp.txt", in: folder)
        let reference = try Self.write("a b c d f\nthe cat sat\n", "ref.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", reference, "--format", "json"])
        #expect(result.exitCode == 0, "\(result.errorText)")
        let parsed = try JSONSerialization.jsonObject(with: result.standardOutput) as? [[String: Any]]
        let metrics = try #require(parsed)
        #expect(metrics.count == 2)
        let bleu = metrics[0], chrf = metrics[1]
        #expect(bleu["name"] as? String == "BLEU")
        #expect(String(format: "%.6f", bleu["score"] as? Double ?? 0) == "59.939542")
        #expect(bleu["signature"] as? String == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0")
        #expect(bleu["hyp_len"] as? Int == 7)
        #expect(bleu["ref_len"] as? Int == 8)
        #expect((bleu["precisions"] as? [Double])?.count == 4)
        #expect(bleu["verbose_score"] as? String == "85.7/80.0/66.7/50.0 (BP = 0.867 ratio = 0.875 hyp_len = 7 ref_len = 8)")
        #expect(chrf["name"] as? String == "chrF2")
        #expect(chrf["formatted"] as? String == "chrF2 = 55.53")
        #expect(chrf["signature"] as? String == "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0")
    }

    @Test("mismatched line counts fail with exit code 1 and say which file is off")
    func mismatchedLineCounts() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("one\ntwo\nthree\n", "hyp.txt", in: folder)
        let good = try Self.write("one\ntwo\nthree\n", "good.txt", in: folder)
        let short = try Self.write("one\ntwo\n", "short.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", good, "--reference", short])
        #expect(result.exitCode == 1)
        #expect(result.outputText.isEmpty)
        #expect(result.errorText.hasPrefix("error: "))
        #expect(result.errorText.contains("the hypotheses have 3 lines but reference stream 2 has 2"))
        #expect(result.errorText.contains("one line per hypothesis line"))
    }

    @Test("a missing file and an unknown tokenizer are reported")
    func badArguments() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("one\n", "hyp.txt", in: folder)
        let missing = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", folder.file("absent.txt")])
        #expect(missing.exitCode == 1)
        #expect(missing.errorText.contains("absent.txt"))
        let tokenizer = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", hypothesis, "--tokenize", "moses"])
        #expect(tokenizer.exitCode == 64)
        #expect(tokenizer.errorText.contains("The value 'moses' is invalid for '--tokenize <name>'"), "\(tokenizer.errorText)")
        #expect(tokenizer.errorText.contains("'13a', 'zh', 'intl' or 'none'"), "\(tokenizer.errorText)")
        let noReference = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis])
        #expect(noReference.exitCode != 0)
        #expect(noReference.errorText.contains("--reference"))
    }

    @Test("an unknown metric or format is a usage error (exit 64) listing the valid values, as --help does",
          arguments: [["--metrics", "bleu,ter"], ["--metrics", ","], ["--format", "xml"]])
    func unknownValues(arguments: [String]) throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("one\n", "hyp.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", hypothesis] + arguments)
        #expect(result.exitCode == 64)
        #expect(result.outputText.isEmpty)
        let values = arguments[0] == "--metrics" ? "'bleu', 'chrf' or 'chrf++'" : "'text' and 'json'"
        #expect(result.errorText.contains("The value '\(arguments[1])' is invalid for '\(arguments[0])"), "\(result.errorText)")
        #expect(result.errorText.contains(values), "\(result.errorText)")

        // Help is wrapped to the terminal's width.
        let help = try ProcessRunner.tern(["eval", "--help"]).outputText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("(values: 13a, zh, intl, none; default: 13a)"), "\(help)")
        #expect(help.contains("(values: bleu, chrf, chrf++; default: bleu,chrf)"), "\(help)")
        #expect(help.contains("(values: text, json; default: text)"), "\(help)")
    }

    @Test("metric names are read case-insensitively, around spaces, in the order given")
    func metricList() throws {
        let folder = try TemporaryDirectory()
        let hypothesis = try Self.write("a b c d e\nthe cat\n", "hyp.txt", in: folder)
        let reference = try Self.write("a b c d f\nthe cat sat\n", "ref.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", hypothesis, "--reference", reference, "--metrics", "chrF, BLEU"])
        #expect(result.exitCode == 0, "\(result.errorText)")
        let lines = result.outputText.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("chrF2|") && lines[1].contains("BLEU|"), "\(result.outputText)")
    }

    @Test("invalid UTF-8 is warned about and scored as U+FFFD")
    func invalidUTF8() throws {
        let folder = try TemporaryDirectory()
        try (Data("good line\n".utf8) + Data([0x62, 0x61, 0xFF, 0x64, 0x0A])).write(to: URL(fileURLWithPath: folder.file("hyp.txt")))
        let reference = try Self.write("good line\nba\u{FFFD}d\n", "ref.txt", in: folder)
        let result = try ProcessRunner.tern(["eval", "--hypothesis", folder.file("hyp.txt"), "--reference", reference, "--metrics", "chrf"])
        #expect(result.exitCode == 0)
        #expect(result.errorText.contains("hyp.txt:2: invalid UTF-8 replaced with U+FFFD"))
        #expect(result.outputText.hasSuffix("= 100.00\n"))
    }
}

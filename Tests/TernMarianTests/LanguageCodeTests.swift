import Foundation
import TernTranslate
import TestSupport
import Testing

/// `>>xx<<` codes typed in the source text, against transformers' `MarianTokenizer` (ids) and
/// `generate` (text), and `--target-language` in `tern compare`, on the folders written by
/// `Fixtures/make_marian_folders.py`.
@Suite struct LanguageCodeTests {
    typealias Fixture = MarianFolderTests

    /// The framed source ids Tern gives a one-sentence `line`: the prefix the line asks for,
    /// then its pieces, then `</s>`.
    static func sourceIDs(_ line: String, _ translator: Translator) -> [Int32] {
        let (prefix, text) = translator.vocabularies.sourcePrefix(of: line)
        return translator.model.framing.source(prefix + translator.sourceTokenizer.encode(String(text)))
    }

    /// The fixture's lines whose `>>…<<` is not a code: it is not at the very start, or has no `<<` after it.
    static let uncoded: Set = ["A dog >>fr<< runs in the park.", " >>fr<< A dog runs.", ">> not a code"]

    /// `lines` as `tern`'s standard input.
    static func input(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    @Test("a code typed at the start of a line gives MarianTokenizer's ids: with or without a space, unknown (<unk>), not at the start (text), in place of --target-language's",
          arguments: ["opus-en-mul", "opus-en-de"])
    func typedCodeIDs(folder: String) throws {
        let cases = try #require(try Fixture.expected().folders[folder]?.typed)
        #expect(cases.count >= 10)
        let multilingual = folder == "opus-en-mul"
        let translator = try Translator(modelDirectory: Fixture.fixtures + "/" + folder, targetLanguage: multilingual ? "de" : nil)
        for item in cases {
            // A line without a code of its own gets --target-language's, which transformers has no notion of.
            let chosen = Self.uncoded.contains(item.line) ? translator.vocabularies.sourcePrefix : []
            #expect(Self.sourceIDs(item.line, translator) == chosen + item.ids, "\(item.line)")
        }
        // The fixture holds what the rule says: a leading code is one id, the rest is what a line without it gives.
        let unknown = translator.vocabularies.sourcePrefix(of: ">>it<< A dog runs in the park.").ids
        #expect(unknown == [1], "an unknown code is <unk>, id 1")
        let ids = Dictionary(cases.map { ($0.line, $0.ids) }, uniquingKeysWith: { first, _ in first })
        #expect(ids[">>fr<<A dog runs in the park."] == ids[">>fr<< A dog runs in the park."])
        if multilingual {
            #expect(ids[">>fr<< A dog runs in the park."]?.first != translator.vocabularies.sourcePrefix.first, "the typed code, not --target-language's")
        }
    }

    @Test("lines with their own code translate as transformers' generate does, whatever --target-language says; a line without one takes it")
    func typedCodeTranslations() throws {
        let expected = try #require(try Fixture.expected().folders["opus-en-mul"])
        #expect(Set(expected.greedy.compactMap(\.targetLanguage)) == ["de", "fr", "es"])
        let options = MarianFolderTests().options(beam: 1, maxLength: 40)
        for chosen in ["de", "es"] {
            let translator = try Translator(modelDirectory: Fixture.multilingual, targetLanguage: chosen)
            let typed = try translator.translate(expected.greedy.map(\.line), options: options)
            #expect(typed.map(\.text) == expected.greedy.map(\.text), "--target-language \(chosen)")
            let unspaced = try translator.translate(expected.greedy.map { $0.line.replacingOccurrences(of: "<< ", with: "<<") }, options: options)
            #expect(unspaced.map(\.text) == expected.greedy.map(\.text))
        }
        // Spanish lines without their code, the others with theirs: --target-language es serves the first.
        let mixed = expected.greedy.map { $0.targetLanguage == "es" ? Fixture.withoutLanguageToken($0.line) : $0.line }
        #expect(mixed.contains { !$0.hasPrefix(">>") })
        let result = try ProcessRunner.tern(["translate", "--model", Fixture.multilingual, "--target-language", "es", "--beam", "1", "--max-length", "40"],
                                            input: Self.input(mixed))
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText == Self.input(expected.greedy.map(\.text)))
    }

    @Test("a line of two sentences with a code of its own: each sentence gets the code, not --target-language's")
    func codeBeforeSentences() throws {
        let french = try #require(try Fixture.expected().folders["opus-en-mul"]).greedy.filter { $0.targetLanguage == "fr" && $0.line.hasSuffix(".") }
        #expect(french.count >= 2)
        let (first, second) = (french[0], french[1])
        let line = first.line + " " + Fixture.withoutLanguageToken(second.line)
        let translator = try Translator(modelDirectory: Fixture.multilingual, targetLanguage: "de")
        let found = try translator.translate([line], options: MarianFolderTests().options(beam: 1, maxLength: 40))
        #expect(found.map(\.text) == [first.text + " " + second.text], "\(line)")
    }

    @Test("a typed code the vocabulary lacks is reported for its line (tern translate and tern batch warn), one it has is not")
    func unknownCodeWarnings() throws {
        let lines = [">>it<< A dog runs.", ">>fr<< A dog runs.", "A dog >>it<< runs.", ">>de A dog << runs."]
        let translator = try Translator(modelDirectory: Fixture.multilingual, targetLanguage: "de")
        let found = try translator.translate(lines, options: MarianFolderTests().options(beam: 1, maxLength: 20))
        #expect(found.map(\.unknownLanguageCode) == [">>it<<", nil, nil, ">>de A dog <<"])
        let translated = try ProcessRunner.tern(["translate", "--model", Fixture.multilingual, "--target-language", "de", "--max-length", "20"],
                                                input: Self.input(lines))
        #expect(translated.exitCode == 0, "\(translated.errorText)")
        #expect(translated.errorText.contains("stdin:1: the line starts with >>it<<, which the model's vocabulary lacks; it was read as <unk>"))
        #expect(translated.errorText.contains("stdin:4: the line starts with >>de A dog <<"), "\(translated.errorText)")
        #expect(!translated.errorText.contains("stdin:2") && !translated.errorText.contains("stdin:3"), "\(translated.errorText)")
        let folder = try TemporaryDirectory()
        try Self.input(lines).write(toFile: folder.file("input.en"), atomically: true, encoding: .utf8)
        let batch = try ProcessRunner.tern(["batch", "--model", Fixture.multilingual, "--target-language", "de", "--max-length", "20",
                                            "--input", folder.file("input.en"), "--output", folder.file("output.de")])
        #expect(batch.exitCode == 0, "\(batch.errorText)")
        #expect(batch.errorText.contains("input.en:1: the line starts with >>it<<"), "\(batch.errorText)")
    }

    @Test("a line that is only a code translates to an empty line, as a blank line does")
    func codeAlone() throws {
        let translator = try Translator(modelDirectory: Fixture.multilingual, targetLanguage: "de")
        let found = try translator.translate([">>fr<<", ">>fr<<   "], options: MarianFolderTests().options(beam: 1, maxLength: 40))
        #expect(found.map(\.text) == ["", ""])
        #expect(found.map(\.targetTokens) == [0, 0])
    }

    @Test("tern compare --target-language puts >>xx<< first, as tern translate does; without it a multilingual folder is refused")
    func compareTargetLanguage() throws {
        let expected = try #require(try Fixture.expected().folders["opus-en-mul"])
        let french = expected.greedy.filter { $0.targetLanguage == "fr" }
        let lines = french.map { Fixture.withoutLanguageToken($0.line) } + [expected.greedy[0].line]
        let folder = try TemporaryDirectory()
        try Self.input(lines).write(toFile: folder.file("input.en"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.tern(["compare", "--encdec", Fixture.multilingual, "--target-language", "fr", "--input", folder.file("input.en"),
                                             "--beam", "1", "--max-length", "40", "--format", "json"])
        #expect(result.exitCode == 0, "\(result.errorText)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.outputText.utf8)) as? [String: Any])
        let sentences = try #require(report["sentences"] as? [[String: Any]])
        let outputs = sentences.map { ($0["outputs"] as? [String: String])?["encdec"] }
        #expect(outputs == (french.map(\.text) + [expected.greedy[0].text]).map(Optional.some))
        let refused = try ProcessRunner.tern(["compare", "--encdec", Fixture.multilingual, "--input", folder.file("input.en"), "--max-length", "40"])
        #expect(refused.exitCode == 1)
        #expect(refused.errorText.contains("--target-language (one of: de, es, fr)"), "\(refused.errorText)")
    }
}

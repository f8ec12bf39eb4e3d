import Foundation
import TernDecoding
import TernModel
import TernTranslate
import TestSupport
import Testing

/// Hugging Face Marian folders (the OPUS-MT layout) against transformers' `MarianTokenizer` and
/// `MarianMTModel.generate`, on folders written by `Fixtures/make_marian_folders.py`.
@Suite struct MarianFolderTests {
    struct Expected: Decodable {
        struct Encoding: Decodable {
            var line: String
            var ids: [Int32]
        }
        struct Output: Decodable {
            var line: String
            var ids: [Int32]
            var text: String
            var targetLanguage: String?
        }
        struct Decoding: Decodable {
            var ids: [Int32]
            var text: String
        }
        struct Folder: Decodable {
            var ids: [Encoding]
            var greedy: [Output]
            var beam4: [Output]?
            var decoded: [Decoding]?
            /// Lines with a `>>xx<<` code typed in them, and MarianTokenizer's ids.
            var typed: [Encoding]?
        }
        var folders: [String: Folder]
        var maxNewTokens: Int
    }

    static let fixtures = PackagePaths.file("Tests/TernMarianTests/Fixtures")
    static let bilingual = fixtures + "/opus-en-de"
    static let multilingual = fixtures + "/opus-en-mul"

    static func expected() throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/expected.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Expected.self, from: data)
    }

    /// `line` without a leading `>>xx<< ` token.
    static func withoutLanguageToken(_ line: String) -> String {
        guard line.hasPrefix(">>"), let end = line.range(of: "<< ") else { return line }
        return String(line[end.upperBound...])
    }

    func options(beam: Int, maxLength: Int) -> TranslationOptions {
        TranslationOptions(decoding: DecodingOptions(beamSize: beam, lengthPenalty: 1, maxLength: maxLength,
                                                     relativeMaxLength: DecodingOptions.RelativeLimit.default))
    }

    @Test("source ids equal MarianTokenizer's for every line, hard cases included (</s> appended by the framing)")
    func sourceIDs() throws {
        let expected = try Self.expected()
        let translator = try Translator(modelDirectory: Self.bilingual)
        let cases = try #require(expected.folders["opus-en-de"]).ids
        #expect(cases.count > 30)
        for item in cases {
            #expect(translator.model.framing.source(translator.sourceTokenizer.encode(item.line)) == item.ids, "\(item.line)")
        }
    }

    @Test("target ids decode to MarianTokenizer.decode's text, special tokens skipped")
    func targetDecoding() throws {
        let expected = try #require(try Self.expected().folders["opus-en-de"]?.decoded)
        let translator = try Translator(modelDirectory: Self.bilingual)
        for item in expected {
            #expect(translator.targetTokenizer.decode(item.ids) == item.text, "\(item.ids)")
        }
    }

    @Test("text to text, greedy and beam 4, equals transformers' generate for every line", arguments: [1, 4])
    func translations(beam: Int) throws {
        let expected = try #require(try Self.expected().folders["opus-en-de"])
        let outputs = try #require(beam == 1 ? expected.greedy : expected.beam4)
        #expect(outputs.count >= 30)
        let translator = try Translator(modelDirectory: Self.bilingual)
        let found = try translator.translate(outputs.map(\.line), options: options(beam: beam, maxLength: try Self.expected().maxNewTokens))
        for (output, translation) in zip(outputs, found) {
            #expect(translation.text == output.text, "\(output.line)")
            #expect(translation.targetTokens == output.ids.count, "\(output.line)")
        }
    }

    @Test("the folder with only pytorch_model.bin translates exactly as the one with model.safetensors")
    func pyTorchFolder() throws {
        let folder = try TemporaryDirectory(copying: Self.bilingual, leaving: [ModelDirectory.weightsFile])
        #expect(ModelDirectory.weightsPath(folder.path).hasSuffix(ModelDirectory.pyTorchWeightsFile))
        let outputs = try #require(try Self.expected().folders["opus-en-de"]).beam4
        let lines = try #require(outputs).map(\.line)
        let fromPyTorch = try Translator(modelDirectory: folder.path).translate(lines, options: options(beam: 4, maxLength: 40))
        #expect(fromPyTorch.map(\.text) == (try #require(outputs)).map(\.text))
    }

    @Test("a multilingual model: --target-language puts >>xx<< first; ids and greedy text equal transformers' for three languages")
    func multilingual() throws {
        let expected = try #require(try Self.expected().folders["opus-en-mul"])
        for language in ["de", "fr", "es"] {
            let translator = try Translator(modelDirectory: Self.multilingual, targetLanguage: language)
            for item in expected.ids where item.line.hasPrefix(">>\(language)<<") {
                let source = translator.vocabularies.sourcePrefix + translator.sourceTokenizer.encode(Self.withoutLanguageToken(item.line))
                #expect(translator.model.framing.source(source) == item.ids, "\(item.line)")
            }
            let outputs = expected.greedy.filter { $0.targetLanguage == language }
            #expect(outputs.count >= 3)
            let found = try translator.translate(outputs.map { Self.withoutLanguageToken($0.line) }, options: options(beam: 1, maxLength: 40))
            #expect(found.map(\.text) == outputs.map(\.text), "\(language)")
        }
    }

    @Test("a multilingual model without --target-language, or with one it lacks, is refused with the valid codes")
    func targetLanguageErrors() throws {
        #expect(throws: MarianVocabularyError.targetLanguageNeeded(codes: ["de", "es", "fr"])) {
            try Translator(modelDirectory: Self.multilingual)
        }
        #expect(throws: MarianVocabularyError.unknownTargetLanguage(requested: "it", codes: ["de", "es", "fr"])) {
            try Translator(modelDirectory: Self.multilingual, targetLanguage: "it")
        }
        let error = try #require(throws: MarianVocabularyError.self) { try Translator(modelDirectory: Self.bilingual, targetLanguage: "de") }
        #expect(error.localizedDescription.contains("leave it out"))
    }

    @Test("a vocab.json that does not fit config.json, and a missing target.spm are named")
    func folderErrors() throws {
        func copy() throws -> TemporaryDirectory { try TemporaryDirectory(copying: Self.multilingual) }
        let shorter = try copy()
        var vocabulary = try JSONDecoder().decode([String: Int].self, from: Data(contentsOf: URL(fileURLWithPath: shorter.file("vocab.json"))))
        let last = try #require(vocabulary.first { $0.value == vocabulary.count - 2 })
        vocabulary[last.key] = nil
        vocabulary["<pad>"] = vocabulary.count - 1
        try JSONEncoder().encode(vocabulary).write(to: URL(fileURLWithPath: shorter.file("vocab.json")))
        let mismatch = try #require(throws: ModelError.self) { try Translator(modelDirectory: shorter.path, targetLanguage: "de") }
        #expect(mismatch.localizedDescription.contains("vocab_size"), "\(mismatch.localizedDescription)")
        let missing = try copy()
        try FileManager.default.removeItem(atPath: missing.file(MarianVocabularies.targetModelFile))
        #expect(throws: ModelError.missingFile(path: missing.file(MarianVocabularies.targetModelFile))) {
            try Translator(modelDirectory: missing.path, targetLanguage: "de")
        }
    }

    @Test("configs of other networks in the Marian format are refused, naming the key", arguments: [
        ("normalize_before", true), ("normalize_embedding", true), ("add_final_layer_norm", true), ("static_position_embeddings", false),
    ])
    func otherNetworks(key: String, value: Bool) throws {
        let folder = try TemporaryDirectory(copying: Self.bilingual, leaving: [ModelDirectory.pyTorchWeightsFile])
        let configURL = URL(fileURLWithPath: folder.file(ModelDirectory.configFile))
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config[key] = value
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let error = try #require(throws: ModelError.self) { try ModelDirectory.load(folder.path) }
        #expect(error.localizedDescription.contains(key), "\(error.localizedDescription)")
        #expect(error.localizedDescription.contains("Tern runs Marian's network"))
    }

    @Test("a folder of another architecture in the same format (M2M100, as NLLB uses) is refused, naming it")
    func otherArchitecture() throws {
        let folder = try TemporaryDirectory(copying: Self.bilingual, leaving: [ModelDirectory.pyTorchWeightsFile])
        let configURL = URL(fileURLWithPath: folder.file(ModelDirectory.configFile))
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["architectures"] = ["M2M100ForConditionalGeneration"]
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let error = try #require(throws: ModelError.self) { try Translator(modelDirectory: folder.path) }
        #expect(error.localizedDescription.contains("M2M100ForConditionalGeneration"), "\(error.localizedDescription)")
        #expect(error.localizedDescription.contains("Tern runs MarianMTModel"))
    }

    @Test("without --beam tern translate uses the folder's num_beams (4); tern batch and tern info read the folder")
    func folderDefaultsAndOtherCommands() throws {
        let outputs = try #require(try Self.expected().folders["opus-en-de"]?.beam4)
        #expect(try GenerationDefaults.load(directory: Self.bilingual) == GenerationDefaults(numBeams: 4, maxLength: 512))
        let input = outputs.map(\.line).joined(separator: "\n") + "\n"
        let translated = try ProcessRunner.tern(["translate", "--model", Self.bilingual], input: input)
        #expect(translated.outputText == outputs.map { $0.text + "\n" }.joined(), "\(translated.errorText)")
        let folder = try TemporaryDirectory()
        try input.write(toFile: folder.file("input.en"), atomically: true, encoding: .utf8)
        let batch = try ProcessRunner.tern(["batch", "--model", Self.bilingual, "--input", folder.file("input.en"), "--output", folder.file("output.de")])
        #expect(batch.exitCode == 0, "\(batch.errorText)")
        #expect(try String(contentsOfFile: folder.file("output.de"), encoding: .utf8) == outputs.map { $0.text + "\n" }.joined())
        let info = try ProcessRunner.tern(["info", Self.bilingual])
        #expect(info.exitCode == 0, "\(info.errorText)")
        #expect(info.outputText.contains("2 encoder + 2 decoder"), "\(info.outputText)")
    }

    @Test("--n-best without --beam is checked against the folder's num_beams (4), not against greedy search")
    func nBestAgainstFolderBeam() throws {
        let two = try ProcessRunner.tern(["translate", "--model", Self.bilingual, "--n-best", "2", "--max-length", "10"], input: "A dog.\nTwo cats.\n")
        #expect(two.exitCode == 0, "\(two.errorText)")
        #expect(two.outputText.split(separator: "\n").count == 4)
        let five = try ProcessRunner.tern(["translate", "--model", Self.bilingual, "--n-best", "5"], input: "A dog.\n")
        #expect(five.exitCode == 64)
        #expect(five.errorText.contains("--n-best (5) must not exceed the model's beam (4)"), "\(five.errorText)")
    }

    @Test("tern translate --model DIR on the Marian folder prints transformers' beam-4 text; --target-language is required where needed")
    func commandLine() throws {
        let outputs = try #require(try Self.expected().folders["opus-en-de"]?.beam4)
        let result = try ProcessRunner.tern(["translate", "--model", Self.bilingual, "--beam", "4", "--max-length", "40"],
                                            input: outputs.map(\.line).joined(separator: "\n") + "\n")
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText == outputs.map { $0.text + "\n" }.joined())
        let refused = try ProcessRunner.tern(["translate", "--model", Self.multilingual], input: "A dog.\n")
        #expect(refused.exitCode == 1)
        #expect(refused.errorText.contains("--target-language (one of: de, es, fr)"), "\(refused.errorText)")
        let french = try #require(try Self.expected().folders["opus-en-mul"]?.greedy.filter { $0.targetLanguage == "fr" })
        let translated = try ProcessRunner.tern(["translate", "--model", Self.multilingual, "--target-language", "fr", "--beam", "1", "--max-length", "40"],
                                                input: french.map { Self.withoutLanguageToken($0.line) }.joined(separator: "\n") + "\n")
        #expect(translated.outputText == french.map { $0.text + "\n" }.joined(), "\(translated.errorText)")
    }
}

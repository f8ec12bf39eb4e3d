import Foundation
import TernModel
import TernTranslate
import TestSupport
import Testing

/// Marian folders whose embeddings are not one shared table, against transformers' `MarianTokenizer`
/// and `generate`: separate source and target vocabularies (`target_vocab.json`,
/// `share_encoder_decoder_embeddings: false`) with and without an `lm_head.weight` of their own,
/// and a shared vocabulary with its own `lm_head.weight` (`tie_word_embeddings: false`).
@Suite struct SeparateEmbeddingTests {
    typealias Fixture = MarianFolderTests

    static let separate = Fixture.fixtures + "/opus-en-de-separate"
    static let folders = ["opus-en-de-separate", "opus-en-de-separate-tied", "opus-en-de-own-output"]

    /// The folder's `config.json` as JSON.
    static func config(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + ModelDirectory.configFile))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Writes `config` as the `config.json` of `folder`.
    static func write(_ config: [String: Any], to folder: TemporaryDirectory) throws {
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: folder.file(ModelDirectory.configFile)))
    }

    @Test("the fixtures have the layouts they stand for", arguments: folders)
    func layouts(folder: String) throws {
        let path = Fixture.fixtures + "/" + folder
        let config = try Self.config(path)
        let names = Set(try SafeTensorsFile(path: path + "/" + ModelDirectory.weightsFile).shapes.keys)
        let separate = folder != "opus-en-de-own-output", tied = folder == "opus-en-de-separate-tied"
        #expect(config["share_encoder_decoder_embeddings"] as? Bool == !separate)
        #expect(config["tie_word_embeddings"] as? Bool == tied)
        // With tie_word_embeddings false, transformers keeps the stacks' tables apart from model.shared even when it shares them.
        #expect(names.contains("model.encoder.embed_tokens.weight"))
        #expect(names.contains("model.decoder.embed_tokens.weight"))
        #expect(names.contains("model.shared.weight") == !separate)
        #expect(names.contains("lm_head.weight") == !tied)
        if separate {
            let vocabularySize = try #require(config["vocab_size"] as? Int), decoderVocabularySize = try #require(config["decoder_vocab_size"] as? Int)
            #expect(vocabularySize != decoderVocabularySize)
            #expect(FileManager.default.fileExists(atPath: path + "/" + MarianVocabularies.targetVocabularyFile))
        }
    }

    @Test("source ids equal MarianTokenizer's (vocab.json), target ids decode to its text (target_vocab.json)", arguments: folders)
    func tokenizers(folder: String) throws {
        let expected = try #require(try Fixture.expected().folders[folder])
        let translator = try Translator(modelDirectory: Fixture.fixtures + "/" + folder)
        #expect(expected.ids.count >= 20)
        for item in expected.ids {
            #expect(translator.model.framing.source(translator.sourceTokenizer.encode(item.line)) == item.ids, "\(item.line)")
        }
        for item in try #require(expected.decoded) {
            #expect(translator.targetTokenizer.decode(item.ids) == item.text, "\(item.ids)")
        }
    }

    @Test("text to text, greedy and beam 4, equals transformers' generate for every line", arguments: folders, [1, 4])
    func translations(folder: String, beam: Int) throws {
        let expected = try #require(try Fixture.expected().folders[folder])
        let outputs = try #require(beam == 1 ? expected.greedy : expected.beam4)
        #expect(outputs.count >= 30)
        let translator = try Translator(modelDirectory: Fixture.fixtures + "/" + folder)
        let found = try translator.translate(outputs.map(\.line), options: Fixture().options(beam: beam, maxLength: try Fixture.expected().maxNewTokens))
        for (output, translation) in zip(outputs, found) {
            #expect(translation.text == output.text, "\(output.line)")
            #expect(translation.targetTokens == output.ids.count, "\(output.line)")
        }
    }

    @Test("tern translate and tern info read a folder with separate vocabularies; info gives both sizes")
    func commandLine() throws {
        let outputs = try #require(try Fixture.expected().folders["opus-en-de-separate"]?.beam4)
        let result = try ProcessRunner.tern(["translate", "--model", Self.separate, "--max-length", "40"],
                                            input: outputs.map { $0.line + "\n" }.joined())
        #expect(result.exitCode == 0, "\(result.errorText)")
        #expect(result.outputText == outputs.map { $0.text + "\n" }.joined())
        let info = try ProcessRunner.tern(["info", Self.separate, "--format", "json"])
        #expect(info.exitCode == 0, "\(info.errorText)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(info.outputText.utf8)) as? [String: Any])
        let config = try Self.config(Self.separate)
        let (vocabulary, decoderVocabulary, width) = (config["vocab_size"] as! Int, config["decoder_vocab_size"] as! Int, config["d_model"] as! Int)
        #expect(summary["vocabulary_size"] as? Int == vocabulary && summary["target_vocabulary_size"] as? Int == decoderVocabulary)
        let text = try ProcessRunner.tern(["info", Self.separate])
        #expect(text.outputText.contains("\(vocabulary) source + \(decoderVocabulary) target pieces"), "\(text.outputText)")
        let parameters = try #require(summary["parameters"] as? Int)
        let shapes = try SafeTensorsFile(path: Self.separate + "/" + ModelDirectory.weightsFile).shapes
        let stored = shapes.values.reduce(0) { $0 + $1.reduce(1, *) }
        #expect(parameters == stored, "every stored tensor counted once")
        #expect(shapes["model.encoder.embed_tokens.weight"] == [vocabulary, width])
        #expect(shapes["model.decoder.embed_tokens.weight"] == [decoderVocabulary, width] && shapes["lm_head.weight"] == [decoderVocabulary, width])
    }

    @Test("a folder that does not hold what its files say is refused, naming the file or key")
    func damagedFolders() throws {
        let noTargetVocabulary = try TemporaryDirectory(copying: Self.separate, leaving: [MarianVocabularies.targetVocabularyFile])
        #expect(throws: ModelError.missingFile(path: noTargetVocabulary.file(MarianVocabularies.targetVocabularyFile))) {
            try Translator(modelDirectory: noTargetVocabulary.path)
        }
        let edited = try TemporaryDirectory(copying: Self.separate)
        var config = try Self.config(edited.path)
        config["tie_word_embeddings"] = true
        try Self.write(config, to: edited)
        #expect(throws: Never.self) { try ModelDirectory.load(edited.path) }  // the decoder's table serves as the output layer
        config["tie_word_embeddings"] = false
        config["decoder_vocab_size"] = (config["decoder_vocab_size"] as! Int) + 1
        try Self.write(config, to: edited)
        let sizes = try #require(throws: ModelError.self) { try ModelDirectory.load(edited.path) }
        #expect(sizes.localizedDescription.contains("decoder_vocab_size"), "\(sizes.localizedDescription)")
        #expect(sizes.localizedDescription.contains("model.decoder.embed_tokens.weight"), "\(sizes.localizedDescription)")
        let sharedSizes = try TemporaryDirectory(copying: Fixture.bilingual, leaving: [ModelDirectory.pyTorchWeightsFile])
        config = try Self.config(sharedSizes.path)
        config["decoder_vocab_size"] = (config["vocab_size"] as! Int) - 1
        try Self.write(config, to: sharedSizes)
        let shared = try #require(throws: ModelError.self) { try ModelDirectory.load(sharedSizes.path) }
        #expect(shared.localizedDescription.contains("share_encoder_decoder_embeddings is true"), "\(shared.localizedDescription)")
        let ownOutput = try TemporaryDirectory(copying: Fixture.bilingual, leaving: [ModelDirectory.pyTorchWeightsFile])
        config = try Self.config(ownOutput.path)
        config["tie_word_embeddings"] = false
        try Self.write(config, to: ownOutput)
        let missing = try #require(throws: ModelError.self) { try ModelDirectory.load(ownOutput.path) }
        #expect(missing.localizedDescription.contains("model.encoder.embed_tokens.weight"), "\(missing.localizedDescription)")
        let jointVocabulary = try TemporaryDirectory(copying: Self.separate)
        let tokenizerConfig = URL(fileURLWithPath: jointVocabulary.file(MarianVocabularies.tokenizerConfigFile))
        var tokenizer = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tokenizerConfig)) as? [String: Any])
        tokenizer["separate_vocabs"] = false
        try JSONSerialization.data(withJSONObject: tokenizer).write(to: tokenizerConfig)
        let mismatch = try #require(throws: ModelError.self) { try Translator(modelDirectory: jointVocabulary.path) }
        #expect(mismatch.localizedDescription.contains("decoder_vocab_size"), "\(mismatch.localizedDescription)")
    }
}

import Foundation
import TernDecoding
import TernModel
import TernTokenizer
import TernTranslate
import TestSupport
import Testing

/// The translator on seeded random models over the real Multi30k vocabulary: the outputs are
/// nonsense, but line bookkeeping, batching and limits are real.
@Suite struct TranslatorTests {
    static let vocabularyPath = PackagePaths.vocabulary("multi30k-en-de")

    static func translator(_ architecture: Architecture, maxPositions: Int = 64) throws -> (Translator, TemporaryDirectory) {
        let vocabulary = try VocabularyStore.load(from: vocabularyPath)
        let (_, folder) = try TinyModels.make(architecture, maxPositions: maxPositions, vocabulary: vocabulary, vocabularyPath: vocabularyPath)
        return (try Translator(modelDirectory: folder.path), folder)
    }

    static let lines = [
        "A man rides a bike.", "", "Two dogs play in the snow. They are happy!", "   ",
        "A woman in a red dress is singing on a stage while a band plays behind her.", "Hi", "😀 \t ünseen ẞcript",
    ]

    @Test("N lines give N translations in order; blank lines stay blank", arguments: Architecture.allCases)
    func lineBookkeeping(architecture: Architecture) throws {
        let (translator, _) = try Self.translator(architecture)
        let options = TranslationOptions(decoding: DecodingOptions(maxLength: 12), maxBatchTokens: 20)
        let batched = try translator.translate(Self.lines, options: options)
        #expect(batched.count == Self.lines.count)
        #expect(batched[1].text.isEmpty && batched[1].sourceTokens == 0)
        #expect(batched[3].text.isEmpty && batched[3].sourceTokens == 0)
        let oneByOne = try Self.lines.map { try translator.translate([$0], options: options)[0] }
        #expect(batched.map(\.text) == oneByOne.map(\.text))
        #expect(batched.map(\.targetTokens) == oneByOne.map(\.targetTokens))
    }

    @Test("a line of several sentences is translated sentence by sentence and joined")
    func sentencesAreJoined() throws {
        let (translator, _) = try Self.translator(.encoderDecoder)
        let options = TranslationOptions(decoding: DecodingOptions(maxLength: 6))
        let parts = try translator.translate(["Two dogs play in the snow.", "They are happy!"], options: options)
        let whole = try translator.translate(["Two dogs play in the snow. They are happy!"], options: options)[0]
        #expect(whole.text == parts.map(\.text).filter { !$0.isEmpty }.joined(separator: " "))
        #expect(whole.sourceTokens == parts.reduce(0) { $0 + $1.sourceTokens })
        let before = translator.statistics.encoderRuns
        _ = try translator.translate(Array(repeating: "A dog.", count: 10), options: options)
        #expect(translator.statistics.encoderRuns == before + 1, "ten short lines fit in one batch")
    }

    @Test("a line far longer than the model's positions is translated in parts: every piece reaches the model", arguments: Architecture.allCases)
    func hugeLine(architecture: Architecture) throws {
        let (translator, _) = try Self.translator(architecture, maxPositions: 32)
        let huge = String(repeating: "supercalifragilistic ", count: 400)
        let results = try translator.translate([huge, "ok", String(repeating: "a", count: 3000)],
                                               options: TranslationOptions(decoding: DecodingOptions(beamSize: 2, maxLength: 8)))
        #expect(results.count == 3)
        #expect(results.map(\.sentencesSplit) == [1, 0, 1])
        let pieces = translator.sourceTokenizer.encode(huge.trimmingCharacters(in: .whitespaces)).count
        // Encoder-decoder sources also carry one </s> per part.
        #expect(architecture == .encoderDecoder ? results[0].sourceTokens > pieces : results[0].sourceTokens == pieces)
    }

    @Test("n-best returns that many alternatives, best first")
    func nBest() throws {
        let (translator, _) = try Self.translator(.encoderDecoder)
        let result = try translator.translate(["A man rides a bike."], options: TranslationOptions(decoding: DecodingOptions(beamSize: 4, nBest: 3, maxLength: 10)))[0]
        #expect(result.alternatives.count == 3)
        #expect(result.alternatives.map(\.score) == result.alternatives.map(\.score).sorted(by: >))
        #expect(result.text == result.alternatives[0].text)
    }

    @Test("a model whose size differs from its vocabulary is refused with a clear error")
    func mismatchedVocabulary() throws {
        let (model, _) = try TinyModels.make(.encoderDecoder)
        let vocabulary = try VocabularyStore.load(from: Self.vocabularyPath)
        #expect(throws: ModelError.vocabularyMismatch(reason: "the vocabulary has 6000 pieces but the model 48")) {
            try Translator(model: model, sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
        }
    }
}

@Suite struct SingleLineTests {
    @Test("a translation never contains a line break, even when byte pieces spell one")
    func lineBreaksBecomeSpaces() throws {
        let vocabulary = try VocabularyStore.load(from: PackagePaths.vocabulary("multi30k-en-de"))
        let (_, folder) = try TinyModels.make(.encoderDecoder, vocabulary: vocabulary, vocabularyPath: PackagePaths.vocabulary("multi30k-en-de"))
        let translator = try Translator(modelDirectory: folder.path)
        // Random models emit byte pieces freely; decode many lines and check none spans two.
        let lines = (0..<40).map { "Line \($0) with some words and numbers \($0 * 7)." }
        let results = try translator.translate(lines, options: TranslationOptions(decoding: DecodingOptions(beamSize: 3, nBest: 3, maxLength: 20)))
        #expect(results.allSatisfy { $0.alternatives.allSatisfy { !$0.text.contains("\n") && !$0.text.contains("\r") } })
    }
}

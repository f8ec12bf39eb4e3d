import Foundation
import TernTokenizer
import TestSupport
import Testing

@Suite struct VocabularyLearningTests {
    static let smokeLines: [String] = {
        ["smoke.en", "smoke.de", "smoke.zh"].flatMap { name in
            (try? CorpusText.lines(of: URL(fileURLWithPath: PackagePaths.file("Corpora/smoke/\(name)")))) ?? []
        }
    }()

    @Test("learning twice from the same lines writes byte-identical files")
    func learningIsDeterministic() throws {
        let options = BPETrainer.Options(size: 700)
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        try VocabularyStore.write(BPETrainer(options: options).learn(lines: Self.smokeLines), training: nil, to: first.path)
        try VocabularyStore.write(BPETrainer(options: options).learn(lines: Self.smokeLines), training: nil, to: second.path)
        for file in [VocabularyStore.piecesFile, VocabularyStore.mergesFile, VocabularyStore.manifestFile] {
            let a = try Data(contentsOf: first.url.appendingPathComponent(file))
            let b = try Data(contentsOf: second.url.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs")
        }
    }

    @Test("the committed Multi30k vocabulary is exactly what learning from the corpus gives",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
    func committedVocabularyIsReproducible() throws {
        let committed = PackagePaths.vocabulary("multi30k-en-de")
        let manifest = try JSONDecoder().decode(VocabularyManifest.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: committed + "/manifest.json")))
        let training = try #require(manifest.training)
        let lines = try ["train.en.gz", "train.de.gz"].flatMap { name in
            try CorpusText.lines(of: SharedCorpora.directory!.appendingPathComponent("multi30k/\(name)"))
        }
        let options = BPETrainer.Options(size: training.requestedSize, normalization: manifest.normalization,
                                         characterCoverage: training.characterCoverage,
                                         minPairFrequency: training.minPairFrequency)
        let relearned = try TemporaryDirectory()
        try VocabularyStore.write(BPETrainer(options: options).learn(lines: lines), training: training, to: relearned.path)
        for file in [VocabularyStore.piecesFile, VocabularyStore.mergesFile, VocabularyStore.manifestFile] {
            let a = try Data(contentsOf: URL(fileURLWithPath: committed).appendingPathComponent(file))
            let b = try Data(contentsOf: relearned.url.appendingPathComponent(file))
            #expect(a == b, "\(file) differs from the committed vocabulary")
        }
    }

    @Test("the vocabulary has the requested size and Marian's special-token ids")
    func sizeAndSpecialTokens() throws {
        let vocabulary = try BPETrainer(options: .init(size: 600)).learn(lines: Self.smokeLines)
        #expect(vocabulary.size == 600)
        #expect(vocabulary.pieces[0] == "</s>" && vocabulary.eosID == 0)
        #expect(vocabulary.pieces[1] == "<unk>" && vocabulary.unknownID == 1)
        #expect(vocabulary.pieces[2] == "<sep>" && vocabulary.separatorID == 2)
        #expect(vocabulary.pieces[599] == "<pad>" && vocabulary.padID == 599)
        #expect(vocabulary.pieces[3] == "<0x00>" && vocabulary.pieces[258] == "<0xFF>")
        #expect(Set(vocabulary.pieces).count == 600)
    }

    @Test("merges follow pair frequency: the most frequent pair is merged first")
    func firstMergeIsMostFrequentPair() throws {
        let lines = Array(repeating: "ab ab ab cd", count: 3) + ["xy"]
        let vocabulary = try BPETrainer(options: .init(size: 270)).learn(lines: lines)
        let first = try #require(vocabulary.merges.first)
        // "a b" occurs 9 times, "▁ a" 6 times, "▁ c" and "c d" 3 times each.
        #expect(vocabulary.pieces[Int(first.left)] + vocabulary.pieces[Int(first.right)] == "ab")
    }

    @Test("a size below the fixed pieces is refused with a clear error")
    func tooSmallSize() {
        #expect(throws: TokenizerError.vocabularySizeTooSmall(requested: 100, minimum: 262)) {
            try BPETrainer(options: .init(size: 100)).learn(lines: ["hello"])
        }
    }

    @Test("an empty corpus is refused")
    func emptyCorpus() {
        #expect(throws: TokenizerError.emptyTrainingCorpus) {
            try BPETrainer(options: .init(size: 300)).learn(lines: ["", ""])
        }
    }
}

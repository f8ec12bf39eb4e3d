import Foundation
import TernCorpus
import TestSupport
import Testing

struct TrainingSetAssemblerTests {
    @Test("pairs sharing a source or a target with a held-out pair are left out, case and spacing ignored")
    func leaksAreRemoved() {
        let heldOut: [ParallelCorpus.Pair] = [("A dog runs.", "一只狗在跑。"), ("Two cats", "两只猫")]
        let first: [ParallelCorpus.Pair] = [
            ("a  dog runs. ", "狗跑。"),        // same source, other case and spacing
            ("A bird sings.", "一只鸟在唱歌。"),
            ("Cats!", "两只猫"),                 // same target
        ]
        let second: [ParallelCorpus.Pair] = [("A bird sings.", "鸟在唱。"), ("two cats", "二猫")]
        let assembled = TrainingSetAssembler(heldOut: heldOut).assemble([first, second])
        #expect(assembled.pairs.map(\.source) == ["A bird sings.", "A bird sings."])
        #expect(assembled.pairs.map(\.target) == ["一只鸟在唱歌。", "鸟在唱。"])
        #expect(assembled.removedPairs == 3)
    }

    @Test("nothing kept shares a sentence with the held-out set, and nothing else is lost (real corpora)",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"))
    func realCorporaProperty() throws {
        let folder = try #require(SharedCorpora.directory).appendingPathComponent("3am-en-zh")
        func read(_ split: String) throws -> [ParallelCorpus.Pair] {
            try ParallelCorpus.read(sourcePath: folder.appendingPathComponent("\(split).en").path,
                                    targetPath: folder.appendingPathComponent("\(split).zh").path) { _, _ in }
        }
        let train = try read("train")
        let heldOut = try read("test") + read("val")
        let assembled = TrainingSetAssembler(heldOut: heldOut).assemble([train])
        // Naive oracle: compare every kept pair with every held-out pair.
        let heldOutSources = heldOut.map { TrainingSetAssembler.matchKey($0.source) }
        let heldOutTargets = heldOut.map { TrainingSetAssembler.matchKey($0.target) }
        let expectedKept = train.filter { pair in
            !heldOutSources.contains(TrainingSetAssembler.matchKey(pair.source))
                && !heldOutTargets.contains(TrainingSetAssembler.matchKey(pair.target))
        }
        #expect(assembled.pairs.count == expectedKept.count)
        #expect(assembled.pairs.count + assembled.removedPairs == train.count)
        #expect(zip(assembled.pairs, expectedKept).allSatisfy { $0.source == $1.source && $0.target == $1.target })
    }

    @Test("the two output files are line-aligned and read back as the same pairs")
    func writeReadsBack() throws {
        let folder = try TemporaryDirectory()
        let pairs: [ParallelCorpus.Pair] = [("Hello.", "你好。"), ("", ""), ("Bye.", "再见。")]
        let assembled = TrainingSetAssembler(heldOut: []).assemble([pairs])
        let source = folder.fileURL("train.en")
        let target = folder.fileURL("train.zh")
        try assembled.write(sourceTo: source, targetTo: target)
        let readBack = try ParallelCorpus.read(sourcePath: source.path, targetPath: target.path) { _, _ in }
        #expect(readBack.map(\.source) == pairs.map(\.source))
        #expect(readBack.map(\.target) == pairs.map(\.target))
    }
}

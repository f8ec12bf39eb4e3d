import Foundation
import TernDecoding
import TernTokenizer
import TernTranslate
import TestSupport
import Testing

/// `BatchTranslation` in process, on a seeded random model over the Multi30k vocabulary.
@Suite struct BatchTranslationTests {
    @Test("the batch output equals translating the lines one by one, in order, one line per line")
    func equalsOneByOne() throws {
        let model = try BatchFixture.model()
        let folder = try TemporaryDirectory()
        try BatchFixture.corpus.write(to: URL(fileURLWithPath: folder.file("in.en")))
        let batch = BatchTranslation(inputPath: folder.file("in.en"), outputPath: folder.file("out.de"), modelDirectory: model.path,
                                     options: BatchFixture.options, maximumChunkLines: 4)
        let summary = try batch.run()
        #expect(summary.isComplete && summary.progress.linesTranslated == BatchFixture.lineCount)

        let translator = try Translator(modelDirectory: model.path)
        let expected = try BatchFixture.lines.map { try translator.translate([$0], options: BatchFixture.options)[0].text }
        let output = try BatchFixture.lines(of: folder.file("out.de"))
        #expect(output == expected)
        #expect(output.count == BatchFixture.lineCount)
        for (index, line) in BatchFixture.lines.enumerated() where line.allSatisfy(\.isWhitespace) {
            #expect(output[index].isEmpty, "blank line \(index + 1) stays empty")
        }
        #expect(summary.progress.targetTokens > 0 && summary.peakMemoryBytes > 0)
    }

    @Test("the summary counts the batches searched: each chunk of lines in batches of at most --batch-sentences, on any number of threads",
          arguments: [1, 3])
    func batchesSearched(threads: Int) throws {
        let model = try BatchFixture.model()
        let folder = try TemporaryDirectory()
        try BatchFixture.corpus.write(to: URL(fileURLWithPath: folder.file("in.en")))
        var options = BatchFixture.options
        options.maxBatchSentences = 3
        options.maxBatchTokens = .max
        let summary = try BatchTranslation(inputPath: folder.file("in.en"), outputPath: folder.file("out.de"), modelDirectory: model.path,
                                           options: options, threads: threads, maximumChunkLines: 4).run()
        // Naive oracle: the sentences of each 4-line chunk, in batches of 3 (no token budget binds).
        let splitter = try SentenceSplitter()
        let sentencesPerChunk = stride(from: 0, to: BatchFixture.lineCount, by: 4).map { first in
            BatchFixture.lines[first..<min(BatchFixture.lineCount, first + 4)].reduce(0) { total, line in
                total + splitter.split(line).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            }
        }
        #expect(summary.engine.sentencesSearched == sentencesPerChunk.reduce(0, +))
        #expect(summary.engine.searches == sentencesPerChunk.reduce(0) { $0 + ($1 + 2) / 3 })
        #expect(summary.description.contains("summary: \(summary.engine.searches) batches searched"))
    }

    @Test("no file exists at the output path until the run completes")
    func outputAppearsOnlyWhenComplete() throws {
        let model = try BatchFixture.model()
        let folder = try TemporaryDirectory()
        try BatchFixture.corpus.write(to: URL(fileURLWithPath: folder.file("in.en")))
        let output = folder.file("out.de")
        var reports: [BatchProgress] = []
        let summary = try BatchTranslation(inputPath: folder.file("in.en"), outputPath: output, modelDirectory: model.path,
                                           options: BatchFixture.options, maximumChunkLines: 4).run { progress in
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(FileManager.default.fileExists(atPath: output + ".partial"))
            reports.append(progress)
        }
        #expect(reports.count == BatchFixture.lineCount / 4)
        #expect(reports.map(\.linesDone) == Array(stride(from: 4, through: BatchFixture.lineCount, by: 4)))
        #expect(summary.isComplete)
        #expect(FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
        #expect(!FileManager.default.fileExists(atPath: output + ".partial.progress"))
    }

    @Test("shards hold their lines in input order, and together every line once", arguments: ShardSpec.Mode.allCases)
    func shardLines(mode: ShardSpec.Mode) throws {
        for lineCount in [0, 1, 7, 40] {
            for count in 1...5 {
                let shards = try (1...count).map { try ShardSpec(index: $0, count: count, mode: mode).lineIndices(lineCount: lineCount) }
                #expect(shards.allSatisfy { $0 == $0.sorted() })
                #expect(shards.flatMap { $0 }.sorted() == Array(0..<lineCount))
                #expect(shards.map(\.count).max()! - shards.map(\.count).min()! <= 1)
            }
        }
        let third = try ShardSpec(parsing: "2/3", mode: mode).lineIndices(lineCount: 7)
        #expect(third == (mode == .interleaved ? [1, 4] : [2, 3]))
    }

    @Test("shard arguments outside I/N with 1 ≤ I ≤ N are refused with a clear message")
    func invalidShards() {
        #expect(throws: BatchError.shardOutOfRange(index: 0, count: 3)) { try ShardSpec(parsing: "0/3") }
        #expect(throws: BatchError.shardOutOfRange(index: 4, count: 3)) { try ShardSpec(parsing: "4/3") }
        #expect(throws: BatchError.invalidShard("x")) { try ShardSpec(parsing: "x") }
        #expect(throws: BatchError.invalidShard("1/2/3")) { try ShardSpec(parsing: "1/2/3") }
        #expect(BatchError.shardOutOfRange(index: 4, count: 3).localizedDescription.contains("between 1 and 3"))
    }

    @Test("the progress display draws a bar on a terminal, and elsewhere a line per 10 % or 10 s")
    func progressDisplay() {
        var text = ""
        let plain = BatchProgressDisplay(isTerminal: false) { text += $0 }
        for (done, elapsed) in [(100, 1.0), (1_000, 2.0), (2_000, 3.0), (2_100, 4.0), (2_200, 15.0), (29_000, 16.0)] {
            plain.show(BatchProgress(linesDone: done, linesTotal: 29_000, linesTranslated: done, sourceTokens: 0,
                                     targetTokens: done * 8, elapsed: elapsed))
        }
        #expect(text == """
            translated 100/29,000 lines, 800 tokens/s
            translated 2,200/29,000 lines, 1,173 tokens/s
            translated 29,000/29,000 lines, 14,500 tokens/s

            """)
        text = ""
        let bar = BatchProgressDisplay(isTerminal: true) { text += $0 }
        bar.show(BatchProgress(linesDone: 3_000, linesTotal: 6_000, linesTranslated: 3_000, sourceTokens: 0, targetTokens: 812, elapsed: 1))
        bar.finish()
        #expect(text.hasPrefix("\r[###############---------------] 50%  3,000/6,000 lines, 812 tokens/s"))
        #expect(text.hasSuffix("\n"))
    }
}

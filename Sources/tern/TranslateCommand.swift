import ArgumentParser
import Foundation
import TernIO
import TernTranslate

struct TranslateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate lines from standard input (or --input) to standard output (or --output).",
        discussion: """
        One output line per input line, in order, each written as soon as it is translated. An \
        empty line gives an empty line; a long line is split into sentences and joined again. \
        With --n-best N, each input line gives N lines: "SCORE<TAB>TRANSLATION".
        """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var decoding: DecodingFlags
    @OptionGroup var io: IOOptions
    @Flag(name: .shortAndLong, help: "Print engine statistics on standard error at the end.") var verbose = false

    func run() async throws {
        try await reportingFailures {
            let translator = try model.makeTranslator()
            let reader = try LineReader(path: io.input)
            let writer = try LineWriter(path: io.output, flushEachLine: true)
            let started = Date()
            var targetTokens = 0
            let options = try decoding.options(model: try model.generationDefaults())
            let nBest = options.decoding.nBest
            let stream = LineStreamTranslation(translator: translator, options: options)
            try stream.run(reader: reader, inputName: io.input) { _, translation in
                targetTokens += translation.targetTokens
                if nBest == 1 {
                    try writer.write(translation.text)
                } else {
                    for index in 0..<nBest {
                        let alternative = index < translation.alternatives.count ? translation.alternatives[index] : nil
                        try writer.write(alternative.map { String(format: "%.4f\t", $0.score) + $0.text } ?? "")
                    }
                }
            }
            try writer.flush()
            if verbose {
                let seconds = Date().timeIntervalSince(started), statistics = translator.statistics
                Diagnostics.printError(String(format: """
                    encoder runs %d, sentences encoded %d, cross-attention K/V projections %d, decoder steps %d, \
                    target tokens %d, %.0f tokens/s, peak self-attention cache %d bytes, peak cross-attention cache %d bytes
                    """, statistics.encoderRuns, statistics.sentencesEncoded, statistics.crossAttentionProjections, statistics.decoderSteps,
                    targetTokens, Double(targetTokens) / max(seconds, 1e-9), statistics.peakSelfCacheBytes, statistics.peakCrossCacheBytes))
            }
        }
    }
}

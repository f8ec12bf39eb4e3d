import Foundation
import TernDecoding
import TernModel
import TernTranslate

/// Translates lines with one model, one line at a time (batch 1), timing each line and its
/// first decoder step.
///
/// Each input line is one sentence: it is tokenized, framed (`TokenFraming`) and decoded
/// exactly as `Translator` does for a one-sentence line, so the outputs equal
/// `Translator.translate`'s. Unlike `Translator`, a line is not split into several sentences,
/// and a sentence longer than the model's positions is cut to fit rather than translated in
/// parts; give one sentence per line, as test sets do.
public struct ModeRunner {
    public let translator: Translator

    public init(translator: Translator) {
        self.translator = translator
    }

    /// The framed source the engine receives for a one-sentence `line` (`TokenFraming.source`),
    /// as `Translator` frames a sentence that fits the model's positions: the vocabularies'
    /// prefix (a multilingual model's `>>xx<<`, or the code typed at the start of the line) and
    /// the pieces of the rest of the line.
    public func sourceIDs(_ line: String) -> [Int32] {
        let (prefix, text) = translator.vocabularies.sourcePrefix(of: line)
        return translator.model.framing.source(prefix + translator.sourceTokenizer.encode(Self.sentence(of: String(text))))
    }

    /// Runs every line in `options.cacheMode`. With `warmUp`, the first non-blank line is first
    /// translated once untimed and uncounted, so that the first timed line does not pay for
    /// first-touch costs (page faults, BLAS start-up).
    /// - Throws: `DecodingError.invalidOptions`.
    public func run(_ lines: [String], options: TranslationOptions, warmUp: Bool = true) throws -> ModeRun {
        if warmUp, let first = lines.first(where: { !Self.sentence(of: $0).isEmpty }) {
            _ = try translate(first, options: options)
        }
        var statistics = EngineStatistics()
        var sentences: [SentenceMeasurement] = []
        for line in lines {
            let (measurement, lineStatistics) = try translate(line, options: options)
            statistics.merge(lineStatistics)
            sentences.append(measurement)
        }
        return ModeRun(mode: translator.model.architecture, cacheMode: options.cacheMode,
                       parameters: translator.model.weights.parameterCount, sentences: sentences, statistics: statistics)
    }

    /// Translates one line and measures it.
    public func translate(_ line: String, options: TranslationOptions) throws -> (SentenceMeasurement, EngineStatistics) {
        let began = ContinuousClock.now
        guard !Self.sentence(of: String(translator.vocabularies.sourcePrefix(of: line).text)).isEmpty else {
            let measurement = SentenceMeasurement(output: "", tokens: [], latencySeconds: Self.seconds(ContinuousClock.now - began),
                                                  timeToFirstTokenSeconds: nil, decoderSteps: 0)
            return (measurement, EngineStatistics())
        }
        let scorer = TimedStepScorer(translator.model.makeScorer(sources: [sourceIDs(line)], cacheMode: options.cacheMode))
        let tokens = try Search.run(scorer, options: options.decoding)[0].first?.tokens ?? []
        let statistics = scorer.base.statistics, firstOutput = scorer.firstOutput
        let output = translator.targetTokenizer.decode(tokens)
        let ended = ContinuousClock.now
        let measurement = SentenceMeasurement(output: output, tokens: tokens, latencySeconds: Self.seconds(ended - began),
                                              timeToFirstTokenSeconds: firstOutput.map { Self.seconds($0 - began) },
                                              decoderSteps: statistics.decoderSteps)
        return (measurement, statistics)
    }

    /// The text `Translator` would translate for a one-sentence line: the line without the
    /// spaces and tabs around it.
    static func sentence(of line: String) -> String {
        line.trimmingCharacters(in: .whitespaces)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}

import TernEval
import TernModel

/// Turns measured rows into a `ComparisonReport`: percentiles, throughput, BLEU and chrF.
public enum ReportBuilder {
    /// - Throws: `EvalError` when scoring fails.
    public static func report(pair: String, rows: [(model: ComparedModel, run: ModeRun)], lines: [String], references: [String]?,
                              settings: ComparisonSettings) throws -> ComparisonReport {
        let bleu = BLEU(tokenization: settings.tokenization), chrf = CHRF()
        var modes: [ComparisonReport.Mode] = []
        for (model, run) in rows {
            var row = summary(run, folder: model.folder)
            if let references {
                let outputs = run.sentences.map(\.output)
                row.bleu = try bleu.corpusScore(hypotheses: outputs, references: [references]).score
                row.chrf = try chrf.corpusScore(hypotheses: outputs, references: [references]).score
            }
            if run.cacheMode == .recompute, let cached = rows.first(where: { $0.run.mode == run.mode && $0.run.cacheMode == .cached })?.run {
                let differing = zip(run.sentences, cached.sentences).enumerated().filter { $1.0.tokens != $1.1.tokens }.map { $0.offset + 1 }
                row.differingSentences = differing
                row.sameOutputsAsCached = differing.isEmpty
            }
            modes.append(row)
        }
        let sentences = lines.enumerated().map { index, line in
            ComparisonReport.Sentence(
                index: index + 1, source: line, reference: references?[index],
                outputs: Dictionary(rows.map { ($0.run.label, $0.run.sentences[index].output) }, uniquingKeysWith: { first, _ in first }),
                measurements: Dictionary(rows.map { ($0.run.label, measurement($0.run.sentences[index])) }, uniquingKeysWith: { first, _ in first }))
        }
        let decoding = settings.options.decoding
        return ComparisonReport(
            pair: pair,
            decoding: .init(beamSize: decoding.beamSize, maxLength: decoding.maxLength, lengthPenalty: decoding.lengthPenalty),
            scoring: references == nil ? nil : .init(tokenize: settings.tokenization.rawValue, bleuSignature: bleu.signature(referenceCount: 1),
                                                     chrfSignature: chrf.signature(referenceCount: 1)),
            modes: modes, sentences: sentences)
    }

    /// A row's summary, without scores.
    public static func summary(_ run: ModeRun, folder: String) -> ComparisonReport.Mode {
        let statistics = run.statistics
        let modelled = run.sentences.filter { $0.timeToFirstTokenSeconds != nil }
        let total = run.sentences.reduce(0) { $0 + $1.latencySeconds }
        let tokens = run.sentences.reduce(0) { $0 + $1.generatedTokens }
        let milliseconds = { (seconds: Double?) in seconds.map { $0 * 1000 } }
        return ComparisonReport.Mode(
            label: run.label, mode: run.mode.rawValue, cache: run.cacheMode.rawValue, folder: folder, parameters: run.parameters,
            sentences: run.sentences.count, generatedTokens: tokens, decoderSteps: statistics.decoderSteps,
            decoderPositions: statistics.decoderPositions, encoderRuns: statistics.encoderRuns,
            sentencesEncoded: statistics.sentencesEncoded, crossAttentionProjections: statistics.crossAttentionProjections,
            peakSelfCacheBytes: statistics.peakSelfCacheBytes, peakCrossCacheBytes: statistics.peakCrossCacheBytes,
            totalSeconds: total, tokensPerSecond: total > 0 ? Double(tokens) / total : 0,
            latencyP50Ms: milliseconds(Percentile.of(modelled.map(\.latencySeconds), 50)),
            latencyP95Ms: milliseconds(Percentile.of(modelled.map(\.latencySeconds), 95)),
            timeToFirstTokenP50Ms: milliseconds(Percentile.of(modelled.compactMap(\.timeToFirstTokenSeconds), 50)),
            bleu: nil, chrf: nil, sameOutputsAsCached: nil, differingSentences: nil)
    }

    static func measurement(_ sentence: SentenceMeasurement) -> ComparisonReport.Measurement {
        .init(latencyMs: sentence.latencySeconds * 1000, timeToFirstTokenMs: sentence.timeToFirstTokenSeconds.map { $0 * 1000 },
              decoderSteps: sentence.decoderSteps, generatedTokens: sentence.generatedTokens)
    }
}

/// The result of a comparison, and the schema of `tern compare --format json`.
///
/// Keys are camelCase; optional keys are left out when absent. Times are in milliseconds
/// (`…Ms`) or seconds (`totalSeconds`); cache sizes in bytes.
///
/// ```json
/// {
///   "pair": "en-de-multi30k",
///   "decoding": { "beamSize": 1, "maxLength": 256, "lengthPenalty": 1 },
///   "scoring": { "tokenize": "13a", "bleuSignature": "nrefs:1|case:mixed|…", "chrfSignature": "nrefs:1|…" },
///   "modes": [
///     { "label": "encdec", "mode": "encdec", "cache": "cached", "folder": "Models/en-de-multi30k/encdec",
///       "parameters": 60512, "sentences": 3, "generatedTokens": 41,
///       "decoderSteps": 44, "decoderPositions": 44,
///       "encoderRuns": 3, "sentencesEncoded": 3, "crossAttentionProjections": 6,
///       "peakSelfCacheBytes": 5120, "peakCrossCacheBytes": 2304,
///       "totalSeconds": 0.012, "tokensPerSecond": 3416.7,
///       "latencyP50Ms": 3.9, "latencyP95Ms": 4.4, "timeToFirstTokenP50Ms": 0.4,
///       "bleu": 12.7, "chrf": 38.2,
///       "sameOutputsAsCached": true, "differingSentences": [] }
///   ],
///   "sentences": [
///     { "index": 1, "source": "A dog runs.", "reference": "Ein Hund rennt.",
///       "outputs": { "encdec": "…", "prefix-lm": "…", "causal-lm": "…" },
///       "measurements": { "encdec": { "latencyMs": 3.9, "timeToFirstTokenMs": 0.4, "decoderSteps": 12, "generatedTokens": 11 } } }
///   ]
/// }
/// ```
///
/// - `scoring`, `bleu`, `chrf` and `reference` appear only with a reference; BLEU and chrF are
///   sacreBLEU 2.6.0's corpus scores (`TernEval`) of the row's outputs, chrF with its defaults.
/// - `modes` holds one row per compared mode, in the order encdec, prefix-lm, causal-lm; with
///   cache ablation each is followed by its `/recompute` row (`cache` = `recompute`), which alone
///   carries `sameOutputsAsCached` and `differingSentences` (1-based indices of lines whose
///   tokens differ from the cached row's).
/// - `encoderRuns`, `sentencesEncoded` and `crossAttentionProjections` are 0 and
///   `peakCrossCacheBytes` is 0 for decoder-only modes.
/// - Latency and time-to-first-token percentiles cover the non-blank lines (a blank line runs
///   no model); they are left out when there is none. `tokensPerSecond` is generated tokens over
///   the summed latency of all lines.
/// - `outputs` and `measurements` are keyed by row label.
public struct ComparisonReport: Codable, Sendable, Equatable {
    public struct Decoding: Codable, Sendable, Equatable {
        public var beamSize: Int
        public var maxLength: Int
        public var lengthPenalty: Float
    }

    public struct Scoring: Codable, Sendable, Equatable {
        public var tokenize: String
        public var bleuSignature: String
        public var chrfSignature: String
    }

    /// One row: a mode in one cache mode, summarized over all lines.
    public struct Mode: Codable, Sendable, Equatable {
        public var label: String
        public var mode: String
        public var cache: String
        public var folder: String
        public var parameters: Int
        public var sentences: Int
        public var generatedTokens: Int
        public var decoderSteps: Int
        public var decoderPositions: Int
        public var encoderRuns: Int
        public var sentencesEncoded: Int
        public var crossAttentionProjections: Int
        public var peakSelfCacheBytes: Int
        public var peakCrossCacheBytes: Int
        public var totalSeconds: Double
        public var tokensPerSecond: Double
        public var latencyP50Ms: Double?
        public var latencyP95Ms: Double?
        public var timeToFirstTokenP50Ms: Double?
        public var bleu: Double?
        public var chrf: Double?
        public var sameOutputsAsCached: Bool?
        public var differingSentences: [Int]?
    }

    /// One line's measurements under one row.
    public struct Measurement: Codable, Sendable, Equatable {
        public var latencyMs: Double
        public var timeToFirstTokenMs: Double?
        public var decoderSteps: Int
        public var generatedTokens: Int
    }

    public struct Sentence: Codable, Sendable, Equatable {
        /// 1-based line number.
        public var index: Int
        public var source: String
        public var reference: String?
        public var outputs: [String: String]
        public var measurements: [String: Measurement]
    }

    public var pair: String
    public var decoding: Decoding
    public var scoring: Scoring?
    public var modes: [Mode]
    public var sentences: [Sentence]
}

/// How sentences become a model's input, for one architecture: the one definition of source ids,
/// truncation, the decoder's prefix, the self-attention mask and the training labels, which the
/// translator, `tern compare`, the benchmarks, the attention probe and the trainer all use.
///
/// | architecture | source (scorer and encoder input) | decoder runs over | labels |
/// |---|---|---|---|
/// | encoder-decoder | `pieces + </s>` | `<start> + target` | `target + </s>` |
/// | prefix LM, causal LM | `pieces + <sep>` | `pieces + <sep> + target` | `target + </s>`, from the `<sep>` position on |
///
/// The prefix LM's `pieces + <sep>` prefix attends to all of itself; everything else sees only
/// its left.
///
/// ```swift
/// let framing = model.framing
/// let source = framing.source(tokenizer.encode("A dog runs."))   // [.., .., </s>] or [.., .., <sep>]
/// let scorer = model.makeScorer(sources: [source])
/// ```
public struct TokenFraming: Sendable, Equatable {
    public let architecture: Architecture
    public let endOfSentence: Int32
    /// The source/target separator of the decoder-only models (`ModelConfig.validate` requires one).
    public let separator: Int32
    /// The encoder-decoder's first decoder input (`<pad>` in Marian models).
    public let decoderStart: Int32
    public let maxPositions: Int

    public init(config: ModelConfig, architecture: Architecture) {
        self.architecture = architecture
        endOfSentence = Int32(config.eosTokenId)
        separator = Int32(config.ternSeparatorTokenId ?? config.eosTokenId)
        decoderStart = Int32(config.decoderStartTokenId)
        maxPositions = config.maxPositionEmbeddings
    }

    /// The most source pieces of one sentence: the positions less `</s>` for the
    /// encoder-decoder; half the positions for the decoder-only models, which leaves room for
    /// `<sep>` and the target. Longer sentences are cut into parts before framing (the
    /// translator's `LongSentenceSplitter`), or cut to fit by `source(_:)`.
    public var sourcePieceLimit: Int {
        architecture == .encoderDecoder ? maxPositions - 1 : max(1, maxPositions / 2)
    }

    /// The source as the scorers, the encoder and the training batches take it: its first
    /// `sourcePieceLimit` pieces, then `</s>` (encoder-decoder) or `<sep>` (decoder-only).
    /// `[S]` → `[min(S, limit) + 1]`.
    public func source(_ pieces: [Int32]) -> [Int32] {
        Array(pieces.prefix(sourcePieceLimit)) + [architecture == .encoderDecoder ? endOfSentence : separator]
    }

    /// The source length that limits relative to the source count, of a framed source: with
    /// `</s>` for the encoder-decoder, without `<sep>` for the decoder-only models.
    public func sourceLength(ofFramed source: [Int32]) -> Int {
        architecture == .encoderDecoder ? source.count : source.count - 1
    }

    /// The tokens the decoder stack reads before the first target token of a framed source:
    /// `[<start>]`, or the whole framed source for a decoder-only model.
    public func decoderPrefix(ofFramed source: [Int32]) -> [Int32] {
        architecture == .encoderDecoder ? [decoderStart] : source
    }

    /// Teacher forcing: the decoder's input `[L]`, cut to the positions, and the labels it is
    /// scored on, `[P]`: `target + </s>`, as many as the input has room to predict. The first
    /// label is predicted at position `firstPrediction` (the last prefix position).
    public func teacherForcing(framedSource source: [Int32], target: [Int32])
        -> (decoderInput: [Int32], labels: [Int32], firstPrediction: Int) {
        let prefix = decoderPrefix(ofFramed: source)
        let input = Array((prefix + target).prefix(maxPositions))
        let labels = Array((target + [endOfSentence]).prefix(max(0, input.count - prefix.count + 1)))
        return (input, labels, prefix.count - 1)
    }

    /// The decoder's self-attention mask for sequences whose framed sources have
    /// `framedSourceLengths` tokens: the prefix LM sees each whole prefix; the others are causal.
    public func decoderMask(framedSourceLengths: [Int]) -> AttentionMask {
        architecture == .prefixLM ? .prefix(prefixLengths: framedSourceLengths) : .causal
    }
}

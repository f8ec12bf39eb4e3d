import Foundation
import TernDecoding
import TernTensor

/// A loaded model: immutable weights that any number of decoding sessions may share across
/// threads.
///
/// ```swift
/// let model = try ModelDirectory.load("Models/en-de/encdec")
/// let scorer = model.makeScorer(sources: [model.framing.source([12, 57])])
/// let best = try Search.run(scorer, options: DecodingOptions())[0][0]
/// ```
public final class Model: Sendable {
    public let weights: ModelWeights
    public let architecture: Architecture
    /// The folder the model was loaded from, if any.
    public let directory: String?
    /// How sentences become this model's input.
    public let framing: TokenFraming
    let encoder: Encoder?
    let decoder: Decoder

    public init(weights: ModelWeights, directory: String? = nil) {
        self.weights = weights
        architecture = weights.architecture
        self.directory = directory
        framing = TokenFraming(config: weights.config, architecture: weights.architecture)
        encoder = weights.architecture == .encoderDecoder ? Encoder(embedding: weights.embedding, layers: weights.encoderLayers) : nil
        decoder = Decoder(weights: weights)
    }

    public var config: ModelConfig { weights.config }

    /// A scorer that runs this model for search over `sources`, framed by `framing.source`:
    /// `EncoderDecoderScorer` or `DecoderOnlyScorer`, as the architecture needs.
    public func makeScorer(sources: [[Int32]], cacheMode: CacheMode = .cached) -> any CountingStepScorer {
        switch architecture {
        case .encoderDecoder: EncoderDecoderScorer(model: self, sources: sources, cacheMode: cacheMode)
        case .prefixLM, .causalLM: DecoderOnlyScorer(model: self, sources: sources, cacheMode: cacheMode)
        }
    }

    /// Encoder outputs for a batch of framed sources (each ending with `</s>`). Encoder-decoder only.
    public func encode(_ sources: [[Int32]]) -> EncoderOutput? {
        encoder.map { $0.encode(sources, workspace: makeWorkspace()) }
    }

    /// Teacher-forced logits `[N·L, V]` (`L` the longest sequence) of whole decoder sequences.
    ///
    /// `sources` are framed (`framing.source`). Encoder-decoder: `targets[n]` starts with the
    /// decoder start token and attends to `sources[n]`. Decoder-only: `targets[n]` is the whole
    /// `[source ; <sep> ; target]` sequence, whose prefix is `sources[n]`.
    public func logits(sources: [[Int32]], targets: [[Int32]]) -> Matrix {
        let workspace = makeWorkspace()
        if let encoder {
            let memory = encoder.encode(sources, workspace: workspace)
            let cross = CrossAttentionCache(memory: memory, layers: decoder.layers)
            decoder.forward(targets, mask: .causal, cross: cross, sentenceOfSequence: Array(targets.indices), cache: nil,
                            lastOnly: false, workspace: workspace)
        } else {
            decoder.forward(targets, mask: framing.decoderMask(framedSourceLengths: sources.map(\.count)), cross: nil,
                            sentenceOfSequence: Array(targets.indices), cache: nil, lastOnly: false, workspace: workspace)
        }
        return Matrix(rows: workspace.logits.rows, columns: workspace.logits.columns,
                      values: Array(workspace.logits.values.prefix(workspace.logits.count)))
    }

    /// Tokens search must never produce: the decoder's start token, `<pad>` and the separator.
    public var suppressedTokens: [Int32] {
        [Int32(config.decoderStartTokenId), Int32(config.padTokenId)] + (config.ternSeparatorTokenId.map { [Int32($0)] } ?? [])
    }

    func makeWorkspace() -> Workspace {
        Workspace(width: config.dModel, feedForwardWidth: max(config.encoderFfnDim, config.decoderFfnDim),
                  vocabularySize: config.targetVocabSize)
    }
}

/// A `StepScorer` that counts the engine's work (`EngineStatistics`): what `Model.makeScorer` returns.
public protocol CountingStepScorer: StepScorer {
    var statistics: EngineStatistics { get }
}

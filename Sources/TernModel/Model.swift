import Foundation
import TernTensor

/// A loaded model: immutable weights that any number of decoding sessions may share across
/// threads.
///
/// ```swift
/// let model = try Model.load(directory: "Models/en-de/encdec")
/// let scorer = model.makeScorer(sources: [[12, 57, 0]], cacheMode: .cached)
/// let best = try GreedySearch.run(scorer, options: DecodingOptions())
/// ```
public final class Model: Sendable {
    public let weights: ModelWeights
    public let architecture: Architecture
    /// The folder the model was loaded from, if any.
    public let directory: String?
    let encoder: Encoder?
    let decoder: Decoder

    public init(weights: ModelWeights, directory: String? = nil) {
        self.weights = weights
        architecture = weights.architecture
        self.directory = directory
        encoder = weights.architecture == .encoderDecoder ? Encoder(embedding: weights.embedding, layers: weights.encoderLayers) : nil
        decoder = Decoder(weights: weights)
    }

    public var config: ModelConfig { weights.config }

    /// Encoder outputs for a batch of sources (each ending with `</s>`). Encoder-decoder only.
    public func encode(_ sources: [[Int32]]) -> EncoderOutput? {
        encoder.map { $0.encode(sources, workspace: makeWorkspace()) }
    }

    /// Teacher-forced logits `[N·L, V]` (`L` the longest sequence) of whole target sequences.
    ///
    /// Encoder-decoder: `targets[n]` starts with the decoder start token and attends to
    /// `sources[n]`. Decoder-only: `targets[n]` is the whole `[source ; <sep> ; target]`
    /// sequence, and `sources` gives each sequence's prefix length through its count plus one.
    public func logits(sources: [[Int32]], targets: [[Int32]]) -> Matrix {
        let workspace = makeWorkspace()
        if let encoder {
            let memory = encoder.encode(sources, workspace: workspace)
            let cross = CrossAttentionCache(memory: memory, layers: decoder.layers)
            decoder.forward(targets, mask: .causal, cross: cross, sentenceOfSequence: Array(targets.indices), cache: nil,
                            lastOnly: false, workspace: workspace)
        } else {
            decoder.forward(targets, mask: decoderOnlyMask(prefixLengths: sources.map { $0.count + 1 }), cross: nil,
                            sentenceOfSequence: Array(targets.indices), cache: nil, lastOnly: false, workspace: workspace)
        }
        return Matrix(rows: workspace.logits.rows, columns: workspace.logits.columns,
                      values: Array(workspace.logits.values.prefix(workspace.logits.count)))
    }

    /// Tokens search must never produce: the decoder's start token, `<pad>` and the separator.
    public var suppressedTokens: [Int32] {
        [Int32(config.decoderStartTokenId), Int32(config.padTokenId)] + (config.ternSeparatorTokenId.map { [Int32($0)] } ?? [])
    }

    func decoderOnlyMask(prefixLengths: [Int]) -> AttentionMask {
        architecture == .prefixLM ? .prefix(prefixLengths: prefixLengths) : .causal
    }

    func makeWorkspace() -> Workspace {
        Workspace(width: config.dModel, feedForwardWidth: max(config.encoderFfnDim, config.decoderFfnDim),
                  vocabularySize: config.vocabSize)
    }
}

import Foundation

/// What `tern info` reports about a model folder: its shape, size on disk and the memory its
/// caches take per token.
///
/// Cache sizes follow from the config: every decoder layer keeps one key and one value vector of
/// `d_model` floats per position, so both caches take `2 · decoderLayers · d_model · 4` bytes
/// per position. The self-attention cache grows by that much per generated token (for a
/// decoder-only model, also per source token and for the separator); the cross-attention cache
/// of an encoder-decoder holds that much per source token, built once per sentence.
public struct ModelSummary: Codable, Equatable, Sendable {
    public var directory: String
    public var architecture: Architecture
    public var encoderLayers: Int
    public var decoderLayers: Int
    public var width: Int
    public var heads: Int
    public var feedForwardWidth: Int
    public var activation: String
    public var vocabularySize: Int
    /// The decoder's vocabulary size where it differs from `vocabularySize` (separate
    /// vocabularies); nil otherwise.
    public var targetVocabularySize: Int?
    public var vocabulary: String?
    public var maxPositions: Int
    public var parameters: Int
    /// Bytes of `model.safetensors`.
    public var fileBytes: Int
    /// The element types of the stored tensors, for example `["F16"]`.
    public var storedTypes: [String]
    /// Self-attention cache bytes per position (per generated token).
    public var selfCacheBytesPerToken: Int
    /// Cross-attention cache bytes per source token; 0 for decoder-only models.
    public var crossCacheBytesPerSourceToken: Int

    /// Loads the model in `directory` and summarizes it.
    /// - Throws: `ModelError` naming the file at fault.
    public init(directory: String) throws {
        let model = try ModelDirectory.load(directory)
        let file = try ModelDirectory.weights(directory)
        let config = model.config
        self.directory = directory
        architecture = model.architecture
        encoderLayers = config.encoderLayers
        decoderLayers = config.decoderLayers
        width = config.dModel
        heads = config.decoderAttentionHeads
        feedForwardWidth = config.decoderFfnDim
        activation = config.activationFunction.rawValue
        vocabularySize = config.vocabSize
        targetVocabularySize = config.targetVocabSize == config.vocabSize ? nil : config.targetVocabSize
        vocabulary = config.ternVocabulary
        maxPositions = config.maxPositionEmbeddings
        parameters = model.weights.parameterCount
        fileBytes = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        storedTypes = file.elementTypes.sorted()
        let bytesPerPosition = 2 * config.decoderLayers * config.dModel * MemoryLayout<Float>.size
        selfCacheBytesPerToken = bytesPerPosition
        crossCacheBytesPerSourceToken = architecture == .encoderDecoder ? bytesPerPosition : 0
    }
}

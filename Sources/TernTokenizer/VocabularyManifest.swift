/// The `manifest.json` of a vocabulary folder. Keys are snake_case in the file.
public struct VocabularyManifest: Codable, Equatable, Sendable {
    public static let currentFormatVersion = 1

    /// How a vocabulary was learned, for the record.
    public struct Training: Codable, Equatable, Sendable {
        public struct File: Codable, Equatable, Sendable {
            public var name: String
            public var lines: Int
            public init(name: String, lines: Int) {
                self.name = name
                self.lines = lines
            }
        }

        public var files: [File]
        public var requestedSize: Int
        public var characterCoverage: Double
        public var minPairFrequency: Int

        public init(files: [File], options: BPETrainer.Options) {
            self.files = files
            requestedSize = options.size
            characterCoverage = options.characterCoverage
            minPairFrequency = options.minPairFrequency
        }

        enum CodingKeys: String, CodingKey {
            case files
            case requestedSize = "requested_size"
            case characterCoverage = "character_coverage"
            case minPairFrequency = "min_pair_frequency"
        }
    }

    public struct SpecialToken: Codable, Equatable, Sendable {
        public var id: Int
        public var piece: String
    }

    public var format: String
    public var formatVersion: Int
    public var model: String
    public var normalization: NormalizationForm
    public var preTokenization: PreTokenization
    public var maxPreTokenLength: Int
    public var byteFallback: Bool
    public var size: Int
    public var alphabetSize: Int
    public var mergeCount: Int
    public var specialTokens: [String: SpecialToken]
    public var training: Training?

    public init(vocabulary: SubwordVocabulary, training: Training?) {
        format = "tern-subword-vocabulary"
        formatVersion = Self.currentFormatVersion
        model = "bpe"
        normalization = vocabulary.normalization
        preTokenization = vocabulary.preTokenization
        maxPreTokenLength = vocabulary.maxPreTokenLength
        byteFallback = true
        size = vocabulary.size
        alphabetSize = vocabulary.alphabetSize
        mergeCount = vocabulary.merges.count
        specialTokens = [
            "eos": SpecialToken(id: Int(vocabulary.eosID), piece: SubwordVocabulary.eosPiece),
            "unk": SpecialToken(id: Int(vocabulary.unknownID), piece: SubwordVocabulary.unknownPiece),
            "sep": SpecialToken(id: Int(vocabulary.separatorID), piece: SubwordVocabulary.separatorPiece),
            "pad": SpecialToken(id: Int(vocabulary.padID), piece: SubwordVocabulary.padPiece),
        ]
        self.training = training
    }

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case model
        case normalization
        case preTokenization = "pre_tokenization"
        case maxPreTokenLength = "max_pre_token_length"
        case byteFallback = "byte_fallback"
        case size
        case alphabetSize = "alphabet_size"
        case mergeCount = "merges"
        case specialTokens = "special_tokens"
        case training
    }
}

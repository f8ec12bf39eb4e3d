/// The languages a model folder translates between: the pair its name gives (`en-de`,
/// `en-de-multi30k`, `opus-mt-en-de`), or for a multilingual Marian folder (`>>xx<<` tokens in
/// its vocabulary) the source its name gives (`opus-mt-en-ROMANCE`) and the codes of those tokens.
public struct ModelLanguages: Sendable, Equatable {
    /// The language it translates from.
    public let source: String
    /// The languages it translates into: the pair's target, or a multilingual model's codes.
    public let targets: [String]
    /// True for a multilingual model, whose source sentences start with the target's `>>xx<<` token.
    public let isMultilingual: Bool

    /// A model of one language pair.
    public init(pair: LanguagePair) {
        self.init(source: pair.source, targets: [pair.target], isMultilingual: false)
    }

    private init(source: String, targets: [String], isMultilingual: Bool) {
        self.source = source
        self.targets = targets
        self.isMultilingual = isMultilingual
    }

    /// The languages of the model in `folder`, and the model name they were read from: the last
    /// component of its path that is a model name (`LanguagePair`); nil when no component is one.
    /// - Throws: `ModelError` for a Marian folder whose `vocab.json` is missing or malformed.
    public static func of(folder: String) throws -> (name: String, languages: ModelLanguages)? {
        let codes = try ModelVocabularies.targetLanguageCodes(modelDirectory: folder)
        guard let (name, pair) = LanguagePair.modelName(inPath: folder, anyTarget: !codes.isEmpty) else { return nil }
        return (name, ModelLanguages(source: pair.source, targets: codes.isEmpty ? [pair.target] : codes, isMultilingual: !codes.isEmpty))
    }

    /// What the model needs to be told to translate into `target` (nil: its only target):
    /// nil for a model of one target, else the `>>xx<<` code that starts each line.
    /// - Throws: `ModelLanguages.Mismatch` for a target it lacks, or none where it has several.
    public func lineCode(for target: String?) throws -> String? {
        guard let target else {
            guard !isMultilingual else { throw Mismatch.targetNeeded(codes: targets) }
            return nil
        }
        guard targets.contains(target) else { throw Mismatch.unknownTarget(target, codes: targets) }
        return isMultilingual ? ">>\(target)<<" : nil
    }

    /// A target language a model cannot give.
    public enum Mismatch: Error, Equatable {
        /// A multilingual model was given no target; it has `codes`.
        case targetNeeded(codes: [String])
        /// The model does not translate into the target; it translates into `codes`.
        case unknownTarget(String, codes: [String])
    }
}

import Foundation
import TernCompare
import TernModel
import TernTokenizer
import TernTranslate
import TestSupport

/// Three seeded random models (encdec, prefix-lm, causal-lm) over the Multi30k vocabulary, each
/// in its own temporary folder, with a few lines and references: nonsense translations, but
/// real tokenization, engines and bookkeeping.
final class CompareFixture {
    static let vocabularyPath = PackagePaths.vocabulary("multi30k-en-de")
    static let lines = ["A man rides a bike.", "Two dogs play in the snow.", "A girl in a red coat is singing.", "Hi"]
    static let references = ["Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.", "Ein Mädchen in einem roten Mantel singt.", "Hallo"]

    let folders: [Architecture: TemporaryDirectory]

    init(maxPositions: Int = 64) throws {
        let vocabulary = try VocabularyStore.load(from: Self.vocabularyPath)
        var folders: [Architecture: TemporaryDirectory] = [:]
        for mode in Architecture.allCases {
            folders[mode] = try TinyModels.make(mode, maxPositions: maxPositions, vocabulary: vocabulary, vocabularyPath: Self.vocabularyPath).folder
        }
        self.folders = folders
    }

    var paths: [Architecture: String] { folders.mapValues(\.path) }

    /// `--encdec A --prefix-lm B --causal-lm C`.
    var folderArguments: [String] {
        ["--encdec", paths[.encoderDecoder]!, "--prefix-lm", paths[.prefixLM]!, "--causal-lm", paths[.causalLM]!]
    }

    /// Greedy search, short outputs, so that tests stay fast.
    static let settings = ComparisonSettings(options: TranslationOptions(decoding: .init(maxLength: 12)), warmUp: false)

    func request(references: [String]? = CompareFixture.references, cacheAblation: Bool = false, format: ReportFormat = .json,
                 svgSentence: Int? = nil) -> CompareRequest {
        var settings = Self.settings
        settings.cacheAblation = cacheAblation
        return CompareRequest(folders: paths, lines: Self.lines, references: references, settings: settings, format: format,
                              svgSentence: svgSentence)
    }

    func runner(_ mode: Architecture) throws -> ModeRunner {
        ModeRunner(translator: try Translator(modelDirectory: paths[mode]!))
    }
}

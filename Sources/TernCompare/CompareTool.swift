import TernEval
import TernModel
import TernTensor
import TernTranslate

/// Everything `tern compare` asks for, already read from files.
public struct CompareRequest: Sendable {
    /// `--model`: a model name such as `en-de`; nil when not given.
    public var model: String?
    /// `--encdec`, `--prefix-lm`, `--causal-lm`: explicit model folders.
    public var folders: [Architecture: String]
    /// `--modes`; nil when not given (see `ModelSelection`).
    public var modes: [Architecture]?
    /// `--target-language`: a multilingual Marian model's target language; nil when not given.
    public var targetLanguage: String?
    /// `--compute-type`: how the models' weights are held.
    public var computeType: ComputeType
    /// The input lines, one sentence each.
    public var lines: [String]
    /// The reference lines, one per input line.
    public var references: [String]?
    public var settings: ComparisonSettings
    public var format: ReportFormat
    /// `--svg-sentence`, 1-based, when an SVG is wanted; nil for none.
    public var svgSentence: Int?

    public init(model: String? = nil, folders: [Architecture: String] = [:], modes: [Architecture]? = nil, targetLanguage: String? = nil,
                computeType: ComputeType = .auto, lines: [String], references: [String]? = nil, settings: ComparisonSettings = ComparisonSettings(),
                format: ReportFormat = .text, svgSentence: Int? = nil) {
        self.model = model
        self.folders = folders
        self.modes = modes
        self.targetLanguage = targetLanguage
        self.computeType = computeType
        self.lines = lines
        self.references = references
        self.settings = settings
        self.format = format
        self.svgSentence = svgSentence
    }
}

/// What `tern compare` prints and writes.
public struct CompareResult: Sendable {
    public var report: ComparisonReport
    /// The report in the requested format.
    public var rendered: String
    /// Modes left out because the named model lacks them (see `ModelSelection.missing`).
    public var missingModes: [Architecture]
    /// The SVG, when one was asked for.
    public var svg: String?
}

/// `tern compare` as a library call: checks the input, loads the models, runs the comparison,
/// renders the report and, when asked, the attention figure.
public enum CompareTool {
    /// - Throws: `CompareError`, `ModelError`, `TokenizerError`, `DecodingError`, `EvalError`.
    public static func run(_ request: CompareRequest) throws -> CompareResult {
        try Comparison.check(lines: request.lines, references: request.references)
        if let index = request.svgSentence { try checkFigureLine(index, lines: request.lines) }
        let selection = try ModelSelection.resolve(model: request.model, folders: request.folders, modes: request.modes)
        if request.svgSentence != nil {
            for mode in [Architecture.encoderDecoder, .prefixLM] where !selection.folders.contains(where: { $0.mode == mode }) {
                throw CompareError.missingModelForFigure(mode.rawValue)
            }
        }
        let models = try ComparedModel.load(selection, targetLanguage: request.targetLanguage, computeType: request.computeType)
        let rows = try Comparison.runRows(models, lines: request.lines, references: request.references, settings: request.settings)
        let report = try ReportBuilder.report(pair: selection.pair, rows: rows, lines: request.lines, references: request.references,
                                              settings: request.settings)
        var svg: String?
        if let index = request.svgSentence {
            svg = AttentionSVG.render(try figure(line: index, lines: request.lines, references: request.references, rows: rows,
                                                 cacheMode: request.settings.options.cacheMode))
        }
        return CompareResult(report: report, rendered: try request.format.render(report), missingModes: selection.missing, svg: svg)
    }

    /// The figure `tern compare --svg` draws for line `line` (1-based) of `lines`: teacher-forced
    /// on its reference when `references` has one, else on the encoder-decoder's own (cached)
    /// translation in `rows`.
    /// - Parameters:
    ///   - rows: the comparison's rows (`Comparison.runRows` over `lines`).
    ///   - cacheMode: the cache mode of the encoder-decoder row whose translation is drawn.
    /// - Throws: `CompareError.invalidSVGSentence` when `line` is outside `lines` or blank;
    ///   `.missingModelForFigure` when `rows` lack the encoder-decoder or the prefix-LM run.
    public static func figure(line: Int, lines: [String], references: [String]?,
                              rows: [(model: ComparedModel, run: ModeRun)], cacheMode: CacheMode) throws -> AttentionFigure {
        try Comparison.check(lines: lines, references: references)
        try checkFigureLine(line, lines: lines)
        guard let encdec = rows.first(where: { $0.run.mode == .encoderDecoder && $0.run.cacheMode == cacheMode }) else {
            throw CompareError.missingModelForFigure(Architecture.encoderDecoder.rawValue)
        }
        guard let prefix = rows.first(where: { $0.run.mode == .prefixLM }) else {
            throw CompareError.missingModelForFigure(Architecture.prefixLM.rawValue)
        }
        let sentence = ModeRunner.sentence(of: lines[line - 1])
        let target: [Int32], origin: String
        if let reference = references?[line - 1] {
            target = encdec.model.translator.targetTokenizer.encode(ModeRunner.sentence(of: reference))
            origin = "the reference"
        } else {
            target = encdec.run.sentences[line - 1].tokens
            origin = "the encoder-decoder's translation"
        }
        return AttentionFigure.build(line: line, sentence: sentence, encoderDecoder: ModeRunner(translator: encdec.model.translator),
                                     prefixLM: ModeRunner(translator: prefix.model.translator), target: target, targetOrigin: origin)
    }

    /// - Throws: `CompareError.invalidSVGSentence` when `line` (1-based) is outside `lines` or blank.
    private static func checkFigureLine(_ line: Int, lines: [String]) throws {
        guard lines.indices.contains(line - 1), !ModeRunner.sentence(of: lines[line - 1]).isEmpty else {
            throw CompareError.invalidSVGSentence(line, lineCount: lines.count)
        }
    }
}

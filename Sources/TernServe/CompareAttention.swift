import TernCompare
import TernModel
import TernTranslate

/// The attention figure of `POST /v1/compare`: with `"attention": true` the answer also holds
/// the SVG that `tern compare --svg --svg-sentence LINE` writes (`CompareTool.figure`, drawn by
/// `AttentionSVG`) for one line of the request, `"line"` (1-based, default 1).
///
/// One figure per request, and at most `maximumPositions` positions in its longest axis
/// (source, `<sep>` and target of the decoder-only sequence), so that a request cannot make the
/// server draw a huge figure: the masks have positions² cells.
enum CompareAttention {
    /// The most positions (`[source ; <sep> ; target]`) a figure may have: about 22,000 cells,
    /// some 4 MB of SVG.
    static let maximumPositions = 96

    /// The line to draw, 1-based, or nil when the request asks for no figure.
    /// - Throws: `ServeError.badRequest` for a `line` without `"attention": true`, outside
    ///   `lines`, or blank.
    static func requestedLine(attention: Bool?, line: Int?, lines: [String]) throws -> Int? {
        guard attention == true else {
            if line != nil { throw ServeError.badRequest("line picks the line whose attention is drawn: send it with \"attention\": true") }
            return nil
        }
        let chosen = line ?? 1
        guard lines.indices.contains(chosen - 1) else {
            throw ServeError.badRequest("line \(chosen) is not a line of the request: choose a line between 1 and \(lines.count) (1-based)")
        }
        guard !lines[chosen - 1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ServeError.badRequest("line \(chosen) is blank: choose a line with text to draw its attention")
        }
        return chosen
    }

    /// Checks that the server has the encoder-decoder and the prefix-LM model of `name`, which the figure draws.
    /// - Throws: `ServeError.badRequest` when it lacks either.
    static func checkModels(_ catalog: ModelCatalog, name: String) throws {
        let modes = catalog.entries.filter { $0.name == name }.map(\.mode)
        guard [Architecture.encoderDecoder, .prefixLM].allSatisfy(modes.contains) else {
            throw ServeError.badRequest("attention draws the encdec and prefix-lm models of \(name), but this server has only "
                + "\(modes.map(\.rawValue).joined(separator: ", ")) of it: start tern serve with both, or leave out attention")
        }
    }

    /// Checks, before any model runs, that the source of `line` leaves room for a target in the
    /// figure and in every drawn model's positions.
    /// - Throws: `ServeError.tooLarge` naming the source's length and the limit.
    static func checkSource(of line: Int, lines: [String], models: [ComparedModel]) throws {
        for model in models where [.encoderDecoder, .prefixLM].contains(model.mode) {
            let length = ModeRunner(translator: model.translator).sourceIDs(lines[line - 1]).count
            let limit = min(maximumPositions, model.translator.model.config.maxPositionEmbeddings) - 1
            guard length <= limit else {
                throw ServeError.tooLarge("line \(line) is \(length) tokens for the \(model.mode.rawValue) model; the attention figure "
                    + "draws at most \(limit) source tokens: choose a shorter line")
            }
        }
    }

    /// The figure's SVG.
    /// - Throws: `ServeError.tooLarge` when the line and its target take more than `maximumPositions`.
    static func render(_ figure: AttentionFigure) throws -> String {
        let positions = max(figure.causalMask.rowLabels.count, figure.crossMask.rowLabels.count, figure.crossMask.columnLabels.count)
        guard positions <= maximumPositions else {
            throw ServeError.tooLarge("line \(figure.line) and its translation take \(positions) positions; the attention figure draws "
                + "at most \(maximumPositions): choose a shorter line, or a smaller max_length")
        }
        return AttentionSVG.render(figure)
    }
}

/// The answer to `POST /v1/compare`: the `ComparisonReport`'s fields as `tern compare --format
/// json` prints them and, when asked, `"attention": {"line": 1, "svg": "<?xml …"}`.
struct CompareResponse: Encodable {
    struct Attention: Encodable {
        let line: Int
        let svg: String
    }

    let report: ComparisonReport
    let attention: Attention?

    enum CodingKeys: String, CodingKey { case attention }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(attention, forKey: .attention)
    }
}

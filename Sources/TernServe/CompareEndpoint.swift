import Foundation
import Hummingbird
import TernCompare
import TernTranslate

/// `POST /v1/compare`: the same lines through every architecture the server has of one model,
/// one line at a time, answered as `tern compare --format json` prints it (`ComparisonReport`):
/// each mode's outputs, tokens/s, latency, decoder steps and cache bytes, and BLEU and chrF
/// when `references` come with the lines; with `"attention": true`, also the attention figure
/// of one line (`CompareAttention`).
///
/// Request: `{"lines": ["…"], "references": ["…"], "model": "en-de-multi30k", "beam": 1, "max_length": 256,
/// "attention": true, "line": 1}`, and `"target_language": "fr"` for a multilingual model (whose
/// lines are then compared as it reads them, starting with `>>fr<<`).
/// Comparisons run one at a time, on a thread of their own, beside the translation workers.
struct CompareRequestBody: Decodable {
    let lines: [String]
    let references: [String]?
    let model: String?
    /// A multilingual model's target (`fr` for `>>fr<<`); nil: the model's only one.
    let targetLanguage: String?
    let apiKey: String?
    /// Also draw the attention figure of line `line`.
    let attention: Bool?
    /// The line (1-based) whose attention is drawn; 1 when not given.
    let line: Int?
    let search: SearchSettings

    enum CodingKeys: String, CodingKey {
        case lines, references, model, attention, line
        case targetLanguage = "target_language"
        case apiKey = "api_key"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lines = try container.decode([String].self, forKey: .lines)
        references = try container.decodeIfPresent([String].self, forKey: .references)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        targetLanguage = try container.decodeIfPresent(String.self, forKey: .targetLanguage)
        apiKey = try container.decodeIfPresent(String.self, forKey: .apiKey)
        attention = try container.decodeIfPresent(Bool.self, forKey: .attention)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        search = try SearchSettings(from: decoder)
    }
}

extension TranslationRoutes {
    /// One comparison at a time: each runs every mode over every line.
    private static let comparisons = DispatchQueue(label: "tern-serve.compare")

    func compare(_ request: Request) async throws -> Response {
        let body: CompareRequestBody = try await decode(request)
        try keys?.authorize(body.apiKey ?? Self.bearerToken(request))
        try checkRequestLines(body.lines, limits: limits)
        if let references = body.references {
            try checkRequestLines(references, limits: limits)
            guard references.count == body.lines.count else {
                throw ServeError.badRequest("references has \(references.count) lines for \(body.lines.count) lines: send one reference per line")
            }
        }
        let options = try body.search.options(limits: limits, batching: defaultOptions)
        let name = body.model ?? catalog.entries[0].name
        _ = try catalog.index(name: name, mode: nil)   // throws, naming the models there are
        let figureLine = try CompareAttention.requestedLine(attention: body.attention, line: body.line, lines: body.lines)
        if figureLine != nil { try CompareAttention.checkModels(catalog, name: name) }
        let entries = catalog.entries.filter { $0.name == name }
        let lines = try entries[0].lines(body.lines, into: body.targetLanguage)
        let answer = try await withCheckedThrowingContinuation { continuation in
            Self.comparisons.async {
                continuation.resume(with: Result {
                    let models = try entries.map {
                        ComparedModel(mode: $0.mode, folder: $0.shared.model.directory ?? $0.name, translator: try $0.shared.makeTranslator())
                    }
                    if let figureLine { try CompareAttention.checkSource(of: figureLine, lines: lines, models: models) }
                    let settings = ComparisonSettings(options: options)
                    let rows = try Comparison.runRows(models, lines: lines, references: body.references, settings: settings)
                    let report = try ReportBuilder.report(pair: name, rows: rows, lines: lines, references: body.references,
                                                          settings: settings)
                    let attention = try figureLine.map { line in
                        let figure = try CompareTool.figure(line: line, lines: lines, references: body.references, rows: rows,
                                                            cacheMode: options.cacheMode)
                        return CompareResponse.Attention(line: line, svg: try CompareAttention.render(figure))
                    }
                    return CompareResponse(report: report, attention: attention)
                })
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONResponse.encoder.encode(answer))))
    }
}

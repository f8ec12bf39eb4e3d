import Foundation
import TernJSON

/// How `tern info` prints a `ModelSummary`.
public enum ModelSummaryFormat: String, CaseIterable, Sendable {
    /// Aligned `label  value` lines for a person.
    case text
    /// The summary's fields as pretty-printed, sorted snake_case JSON.
    case json

    /// `summary` in this format, without a trailing newline.
    public func render(_ summary: ModelSummary) throws -> String {
        switch self {
        case .json: return String(decoding: try SnakeCaseJSON.encoder().encode(summary), as: UTF8.self)
        case .text: return Self.text(summary)
        }
    }

    private static func text(_ summary: ModelSummary) -> String {
        let layers = summary.architecture == .encoderDecoder
            ? "\(summary.encoderLayers) encoder + \(summary.decoderLayers) decoder"
            : "\(summary.decoderLayers) decoder"
        var rows = [
            ("model", summary.directory),
            ("architecture", summary.architecture.rawValue),
            ("layers", layers),
            ("width", "\(summary.width), \(summary.heads) heads, feed-forward \(summary.feedForwardWidth), \(summary.activation)"),
            ("vocabulary", (summary.targetVocabularySize.map { "\(summary.vocabularySize) source + \($0) target pieces" }
                            ?? "\(summary.vocabularySize) pieces") + (summary.vocabulary.map { " (\($0))" } ?? "")),
            ("max positions", "\(summary.maxPositions)"),
            ("parameters", summary.parameters.formatted()),
            ("file size", String(format: "%.2f MB (%@)", Double(summary.fileBytes) / 1e6, summary.storedTypes.joined(separator: ", "))),
            ("self cache", "\(summary.selfCacheBytesPerToken.formatted()) bytes per token"),
        ]
        if summary.crossCacheBytesPerSourceToken > 0 {
            rows.append(("cross cache", "\(summary.crossCacheBytesPerSourceToken.formatted()) bytes per source token, built once per sentence"))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n")
    }
}

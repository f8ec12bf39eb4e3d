import Foundation

/// Why a corpus could not be scored.
///
/// Every case says what was wrong and what to check, so that `tern eval` can print the message
/// as it is.
public enum EvalError: LocalizedError, Equatable, Sendable {
    /// No hypothesis lines were given (sacreBLEU fails on an empty system too).
    case noHypotheses
    /// No reference stream was given.
    case noReferences
    /// A reference stream (0-based `stream`) has a different number of lines than the hypotheses.
    case lineCountMismatch(hypotheses: Int, references: Int, stream: Int)
    /// A metric parameter is out of range, for example a character n-gram order of 0.
    case invalidParameter(String)

    /// A one-sentence message saying what is wrong and what to check.
    public var errorDescription: String? {
        switch self {
        case .noHypotheses:
            return "there are no hypothesis lines to score; check the hypothesis file"
        case .noReferences:
            return "at least one reference stream is needed to score hypotheses"
        case let .lineCountMismatch(hypotheses, references, stream):
            return "the hypotheses have \(hypotheses) line\(hypotheses == 1 ? "" : "s") but reference stream "
                + "\(stream + 1) has \(references); every reference file must have one line per hypothesis line"
        case let .invalidParameter(message):
            return message
        }
    }

    /// Checks that `references` holds at least one stream, each with one line per hypothesis.
    static func validate(hypotheses: [String], references: [[String]]) throws {
        guard !hypotheses.isEmpty else { throw EvalError.noHypotheses }
        guard !references.isEmpty else { throw EvalError.noReferences }
        for (stream, lines) in references.enumerated() where lines.count != hypotheses.count {
            throw EvalError.lineCountMismatch(hypotheses: hypotheses.count, references: lines.count, stream: stream)
        }
    }
}

import Foundation

/// Why a comparison could not run. Each message says what is wrong and what to do.
public enum CompareError: LocalizedError, Equatable, Sendable {
    /// The reference file's line count differs from the input's.
    case referenceLineCount(input: Int, reference: Int)
    /// There is nothing to translate.
    case noInput
    /// `--modes` names something that is not a mode, or nothing.
    case invalidModes(String)
    /// `--svg-sentence` is outside the input, or names a blank line.
    case invalidSVGSentence(Int, lineCount: Int)
    /// The figure needs a model the comparison does not have.
    case missingModelForFigure(String)

    public var errorDescription: String? {
        switch self {
        case let .referenceLineCount(input, reference):
            return "the reference has \(reference) line\(reference == 1 ? "" : "s") but the input has \(input); "
                + "--reference must hold one line per input line"
        case .noInput:
            return "the input has no lines to translate"
        case let .invalidModes(reason):
            return reason
        case let .invalidSVGSentence(index, lineCount):
            return "--svg-sentence \(index) names no non-blank line; choose a line between 1 and \(lineCount) that has text"
        case let .missingModelForFigure(mode):
            return "--svg draws the \(mode) model's attention, but no \(mode) model is being compared; add it"
        }
    }
}

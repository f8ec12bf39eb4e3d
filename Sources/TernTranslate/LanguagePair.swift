import Foundation

/// A source and a target language code, as a model name begins: `en-de`, or `en-de-multi30k` for
/// a model of the same pair trained on other data, or `opus-mt-en-de` as OPUS-MT names its models.
public struct LanguagePair: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    public let target: String

    /// Parses a model name: `SOURCE-TARGET`, each two or three lowercase letters, optionally
    /// followed by `-VARIANT` parts (`en-de-multi30k`) or preceded by `PREFIX-` parts
    /// (`opus-mt-en-de`, as OPUS-MT names its models) of lowercase letters and digits; nil otherwise.
    /// With `anyTarget`, for a model whose vocabulary lists its targets, the last part may be any
    /// name of letters and digits (`opus-mt-en-ROMANCE`, `opus-mt-en-mul`), which becomes `target`.
    public init?(_ modelName: String, anyTarget: Bool = false) {
        let parts = modelName.split(separator: "-", omittingEmptySubsequences: false)
        func isCode(_ part: Substring) -> Bool { (2...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isLowercase } }
        func isVariant(_ part: Substring) -> Bool {
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
        func isGroup(_ part: Substring) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        guard parts.count >= 2 else { return nil }
        let last = parts.count - 2
        if !anyTarget, isCode(parts[0]), isCode(parts[1]), parts.dropFirst(2).allSatisfy(isVariant) {
            (source, target) = (String(parts[0]), String(parts[1]))
        } else if isCode(parts[last]), anyTarget ? isGroup(parts[last + 1]) : isCode(parts[last + 1]), parts.dropLast(2).allSatisfy(isVariant) {
            (source, target) = (String(parts[last]), String(parts[last + 1]))
        } else {
            return nil
        }
    }

    /// The last path component of `path` that is a model name (`anyTarget` as for `init`), and its pair.
    public static func modelName(inPath path: String, anyTarget: Bool = false) -> (name: String, pair: LanguagePair)? {
        URL(fileURLWithPath: path).standardized.pathComponents.reversed().lazy
            .compactMap { component in LanguagePair(component, anyTarget: anyTarget).map { (component, $0) } }.first
    }

    public var description: String { "\(source)-\(target)" }
}

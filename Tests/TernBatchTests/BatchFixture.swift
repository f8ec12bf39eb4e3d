import Foundation
import TernDecoding
import TernTokenizer
import TernTranslate
import TestSupport

/// A random model over the Multi30k vocabulary and a 40-line corpus with blank lines, a
/// multi-sentence line and invalid UTF-8: the translations are nonsense, but the line
/// bookkeeping is real.
enum BatchFixture {
    static let vocabularyPath = PackagePaths.vocabulary("multi30k-en-de")
    /// Short outputs keep the debug build fast; `tern batch` runs get `--max-length 8` too.
    static let options = TranslationOptions(decoding: DecodingOptions(maxLength: 8))

    /// A folder holding a random model (removed when the value is released).
    static func model() throws -> TemporaryDirectory {
        let vocabulary = try VocabularyStore.load(from: vocabularyPath)
        return try TinyModels.make(.encoderDecoder, vocabulary: vocabulary, vocabularyPath: vocabularyPath).folder
    }

    static let lineCount = 40

    /// The corpus's raw lines, without their newlines.
    static let rawLines: [[UInt8]] = (0..<lineCount).map { index in
        switch index {
        case 3, 17, 39: return []
        case 11: return Array("   \t ".utf8)
        case 8: return Array("Ein kaputtes ".utf8) + [0xC3, 0x28, 0xFF] + Array(" Byte.".utf8)
        case 25: return Array("Two dogs play in the snow. They are happy! A cat watches.".utf8)
        default:
            let sentences = ["A man rides a bike.", "Hi", "A woman in a red dress is singing on a stage.", "😀 ünseen ẞcript",
                             "Children are playing football in a park near the river."]
            return Array("\(sentences[index % sentences.count]) (\(index))".utf8)
        }
    }

    /// The corpus file's bytes: every line ends with a newline.
    static var corpus: Data { Data(rawLines.flatMap { $0 + [UInt8(ascii: "\n")] }) }

    /// The lines as `tern batch` reads them: invalid UTF-8 replaced with U+FFFD.
    static var lines: [String] { rawLines.map { String(decoding: $0, as: UTF8.self) } }

    /// The lines of a file written by `tern batch`.
    static func lines(of path: String) throws -> [String] {
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

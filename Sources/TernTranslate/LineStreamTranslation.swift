import TernIO

/// Translates lines as they arrive: `tern translate`.
///
/// Each line is translated as soon as it has been read, without waiting for more input, so a
/// person typing, or a program that writes one line and waits for its answer, gets it at once.
/// Lines that arrived together (a file or a pasted block) are translated together, up to
/// `maximumBatchLines` at a time, for throughput. Output order is input order, one
/// `Translation` per line.
///
/// ```swift
/// let stream = LineStreamTranslation(translator: translator, options: TranslationOptions())
/// try stream.run(reader: try LineReader(path: nil), inputName: nil) { line, translation in print(translation.text) }
/// ```
public struct LineStreamTranslation {
    public let translator: Translator
    public let options: TranslationOptions
    /// The most lines translated in one call, when that many have arrived already.
    public let maximumBatchLines: Int

    public init(translator: Translator, options: TranslationOptions, maximumBatchLines: Int = 32) {
        self.translator = translator
        self.options = options
        self.maximumBatchLines = maximumBatchLines
    }

    /// Reads `reader` to its end, calling `emit` for every line with its translation, in order.
    /// Warns on standard error about repaired UTF-8 and sentences translated in parts, naming
    /// `inputName` (nil: standard input) and the line.
    /// - Throws: what reading, translating or `emit` throws.
    public func run(reader: LineReader, inputName: String?, emit: (TextLine, Translation) throws -> Void) throws {
        while let first = try reader.readLine() {
            let lines = [first] + reader.bufferedLines(limit: maximumBatchLines - 1)
            let translations = try translator.translate(lines.map(\.text), options: options)
            for (line, translation) in zip(lines, translations) {
                Diagnostics.warnIfRepaired(line, input: inputName)
                Diagnostics.warnIfSplit(translation, line: line.number, input: inputName)
                Diagnostics.warnIfUnknownCode(translation, line: line.number, input: inputName)
                try emit(line, translation)
            }
        }
    }
}

extension Diagnostics {
    /// Warns that sentences of a line were too long for the model and were translated in parts.
    static func warnIfSplit(_ translation: Translation, line: Int, input: String?) {
        guard translation.sentencesSplit > 0 else { return }
        warn("\(input ?? "stdin"):\(line): \(translation.sentencesSplit) sentence(s) longer than the model's positions "
             + "were cut at word boundaries and translated in parts")
    }

    /// Warns that the code typed at the start of a line is not in the model's vocabulary.
    static func warnIfUnknownCode(_ translation: Translation, line: Int, input: String?) {
        guard let code = translation.unknownLanguageCode else { return }
        warn("\(input ?? "stdin"):\(line): the line starts with \(code), which the model's vocabulary lacks; it was read as <unk>, "
             + "as transformers reads it")
    }
}

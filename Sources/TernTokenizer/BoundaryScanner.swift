import ICUFacade

/// Finds ICU word or sentence boundaries in UTF-16 text.
///
/// Word boundaries use ICU's rules for the root locale, which segment Chinese, Japanese and
/// Thai with ICU's dictionaries: `我爱你，今天天气很好。` → `我爱你 | ， | 今天 | 天气 | 很好 | 。`.
///
/// A scanner owns an ICU break iterator, which is not thread-safe: use one per thread.
public final class BoundaryScanner {
    public enum Kind: Sendable {
        case word
        case sentence
    }

    private let breaker: OpaquePointer
    private var offsets: [Int32] = []

    /// - Throws: `TokenizerError.icuFailure` when ICU cannot open the iterator (missing data).
    public init(_ kind: Kind, locale: String = "") throws {
        var errorCode: Int32 = 0
        let icuKind = kind == .word ? Int32(TERN_ICU_BREAK_WORD) : Int32(TERN_ICU_BREAK_SENTENCE)
        guard let breaker = tern_breaker_open(icuKind, locale, &errorCode) else {
            throw TokenizerError.icuFailure(operation: "opening a break iterator", code: errorCode)
        }
        self.breaker = breaker
    }

    deinit {
        tern_breaker_close(breaker)
    }

    /// Returns the boundary offsets of `text`: increasing, starting at 0 and ending at
    /// `text.count`. The slice shares storage that the next call overwrites.
    ///
    /// Should ICU fail, the whole text is one segment: `[0, text.count]`.
    public func boundaries(of text: [UInt16]) -> ArraySlice<Int32> {
        let capacity = text.count + 1
        if offsets.count < capacity { offsets = [Int32](repeating: 0, count: capacity) }
        var errorCode: Int32 = 0
        let count = text.withUnsafeBufferPointer { textBuffer in
            offsets.withUnsafeMutableBufferPointer { offsetBuffer in
                tern_breaker_boundaries(breaker, textBuffer.baseAddress, Int32(textBuffer.count),
                                        offsetBuffer.baseAddress, Int32(offsetBuffer.count), &errorCode)
            }
        }
        guard count >= 2 else {
            return text.isEmpty ? [0] : [0, Int32(text.count)]
        }
        return offsets[0..<Int(count)]
    }
}

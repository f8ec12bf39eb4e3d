import ICUFacade

/// The Unicode normalization applied to text before it is segmented.
public enum NormalizationForm: String, Codable, Sendable, CaseIterable {
    /// Text is used as it is.
    case none
    /// Canonical composition (NFC).
    case nfc
    /// Compatibility composition (NFKC): full-width forms, ligatures and similar variants fold
    /// into their plain equivalents. The default.
    case nfkc
}

/// Applies a `NormalizationForm` through ICU, on UTF-16 buffers.
///
/// ICU's normalizer instances are immutable and shared, so a `Normalizer` may be used from
/// any thread.
public struct Normalizer: Sendable {
    public let form: NormalizationForm

    public init(form: NormalizationForm) {
        self.form = form
    }

    /// Returns `text` normalized.
    public func normalize(_ text: String) -> String {
        guard form != .none else { return text }
        var output: [UInt16] = []
        normalize(Array(text.utf16), into: &output)
        return String(decoding: output, as: UTF16.self)
    }

    /// Normalizes the UTF-16 `source` into `destination`, replacing its contents and reusing its
    /// storage. With `.none`, or should ICU fail, `destination` receives `source` unchanged.
    public func normalize(_ source: [UInt16], into destination: inout [UInt16]) {
        guard form != .none, !source.isEmpty else {
            destination = source
            return
        }
        let icuForm = form == .nfkc ? Int32(TERN_ICU_NFKC) : Int32(TERN_ICU_NFC)
        // Normalized text is rarely longer than the input; retry once with the exact size if so.
        var capacity = source.count + source.count / 4 + 16
        for _ in 0..<2 {
            if destination.count < capacity { destination = [UInt16](repeating: 0, count: capacity) }
            var errorCode: Int32 = 0
            let length = source.withUnsafeBufferPointer { sourceBuffer in
                destination.withUnsafeMutableBufferPointer { destinationBuffer in
                    tern_icu_normalize(icuForm, sourceBuffer.baseAddress, Int32(sourceBuffer.count),
                                       destinationBuffer.baseAddress, Int32(destinationBuffer.count), &errorCode)
                }
            }
            if length < 0 { break }
            if Int(length) <= destination.count {
                destination.removeSubrange(Int(length)...)
                return
            }
            capacity = Int(length)
        }
        destination = source
    }
}

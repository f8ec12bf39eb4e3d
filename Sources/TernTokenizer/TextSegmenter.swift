/// The stages before subword merging, run together: normalize, find ICU word boundaries, cut
/// into `PreToken`s. Shared by encoding and vocabulary learning, so both see identical units.
///
/// Holds reusable buffers and an ICU iterator: one per thread.
final class TextSegmenter {
    let normalizer: Normalizer
    private let scanner: BoundaryScanner
    private let preTokenizer: PreTokenizer
    private var sourceUnits: [UInt16] = []
    private(set) var normalizedUnits: [UInt16] = []

    init(normalization: NormalizationForm, maxPreTokenLength: Int) throws {
        normalizer = Normalizer(form: normalization)
        scanner = try BoundaryScanner(.word)
        preTokenizer = PreTokenizer(maxLength: maxPreTokenLength)
    }

    /// Normalizes `text` and calls `body` with each pre-token and its UTF-16 units, in order.
    func forEachPreToken(in text: String, _ body: (PreToken, ArraySlice<UInt16>) -> Void) {
        sourceUnits.removeAll(keepingCapacity: true)
        sourceUnits.append(contentsOf: text.utf16)
        normalizer.normalize(sourceUnits, into: &normalizedUnits)
        let units = normalizedUnits
        let boundaries = scanner.boundaries(of: units)
        preTokenizer.forEachPreToken(in: units, boundaries: boundaries) { preToken in
            body(preToken, units[preToken.range])
        }
    }
}

/// The stages before subword merging, run together: normalize, find segment boundaries (ICU
/// word boundaries unless the vocabulary says otherwise, see `PreTokenization`), cut into
/// `PreToken`s. Shared by encoding and vocabulary learning, so both see identical units.
///
/// Holds reusable buffers and an ICU iterator: one per thread.
final class TextSegmenter {
    let normalizer: Normalizer
    private let preTokenization: PreTokenization
    private let scanner: BoundaryScanner?
    private var simpleOffsets: [Int32] = []
    private let preTokenizer: PreTokenizer
    private var sourceUnits: [UInt16] = []
    private(set) var normalizedUnits: [UInt16] = []

    init(normalization: NormalizationForm, preTokenization: PreTokenization, maxPreTokenLength: Int) throws {
        normalizer = Normalizer(form: normalization)
        self.preTokenization = preTokenization
        scanner = preTokenization == .icuWord ? try BoundaryScanner(.word) : nil
        preTokenizer = PreTokenizer(maxLength: maxPreTokenLength)
    }

    /// Normalizes `text` and calls `body` with each pre-token and its UTF-16 units, in order.
    func forEachPreToken(in text: String, _ body: (PreToken, ArraySlice<UInt16>) -> Void) {
        sourceUnits.removeAll(keepingCapacity: true)
        sourceUnits.append(contentsOf: text.utf16)
        normalizer.normalize(sourceUnits, into: &normalizedUnits)
        let units = normalizedUnits
        let boundaries = segmentBoundaries(of: units)
        preTokenizer.forEachPreToken(in: units, boundaries: boundaries) { preToken in
            body(preToken, units[preToken.range])
        }
    }

    private func segmentBoundaries(of units: [UInt16]) -> ArraySlice<Int32> {
        if let scanner {
            return scanner.boundaries(of: units)
        }
        PreTokenization.simpleBoundaries(of: units, splittingIdeographs: preTokenization == .characters, into: &simpleOffsets)
        return simpleOffsets[...]
    }
}

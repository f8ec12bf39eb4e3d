/// sentencepiece's `Normalizer`: maps raw UTF-8 text to the normalized text the model segments.
///
/// - The precompiled character map (a Darts double-array trie plus a blob of NUL-terminated
///   replacement strings) rewrites the longest matching prefix, as `Normalizer::NormalizePrefix`
///   does; without a map every character stays as it is.
/// - A malformed UTF-8 byte becomes U+FFFD, one byte at a time.
/// - User-defined symbols are matched first and never rewritten.
/// - `remove_extra_whitespaces` drops leading and trailing spaces and folds runs of spaces;
///   `add_dummy_prefix` puts one space before the text (after it with
///   `treat_whitespace_as_suffix`); `escape_whitespaces` writes every space as U+2581 "▁".
struct TextNormalizer: Sendable {
    /// sentencepiece considers the first 32 map entries that prefix the text.
    private static let maximumTrieResults = 32

    private let spec: ModelProto.NormalizerSpec
    private let treatWhitespaceAsSuffix: Bool
    private let trie: DoubleArrayTrie?
    private let replacements: [UInt8]
    private let userDefinedSymbols: PieceTrie?

    /// - Throws: `SentencePieceError.invalidModel` when the character map's header is broken.
    init(spec: ModelProto.NormalizerSpec, treatWhitespaceAsSuffix: Bool, userDefinedSymbols: PieceTrie?) throws {
        self.spec = spec
        self.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix
        self.userDefinedSymbols = userDefinedSymbols
        let blob = spec.precompiledCharsMap
        if blob.isEmpty {
            trie = nil
            replacements = []
        } else {
            // <trie size: UInt32 little-endian><double-array units><replacement strings>
            guard blob.count > 4 else {
                throw SentencePieceError.invalidModel(reason: "the precompiled character map of normalizer '\(spec.name)' is broken (\(blob.count) bytes)")
            }
            let trieSize = Int(UInt32(blob[0]) | UInt32(blob[1]) << 8 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 24)
            guard trieSize < blob.count, trieSize <= blob.count - 4 else {
                throw SentencePieceError.invalidModel(reason: "the trie of the precompiled character map of normalizer '\(spec.name)' claims \(trieSize) bytes, more than the map's \(blob.count)")
            }
            trie = DoubleArrayTrie(bytes: blob[4..<(4 + trieSize)])
            replacements = Array(blob[(4 + trieSize)...])
        }
    }

    /// The replacement for the start of `input` (a slice of `input` or of `replacements`; nil
    /// for U+FFFD) and how many input bytes it stands for.
    private func normalizePrefix(_ input: Slice<UnsafeBufferPointer<UInt8>>, replacements: UnsafeBufferPointer<UInt8>)
        -> (replacement: Slice<UnsafeBufferPointer<UInt8>>?, consumed: Int) {
        if let userDefinedSymbols, let length = userDefinedSymbols.longestPrefixLength(of: input) {
            return (input.prefix(length), length)
        }
        if let trie, let match = trie.longestPrefix(of: input, limit: Self.maximumTrieResults), match.value < replacements.count {
            let start = match.value
            let end = replacements[start...].firstIndex(of: 0) ?? replacements.endIndex
            return (replacements[start..<end], match.length)
        }
        if let length = UTF8Scanning.validCharacterLength(input) {
            return (input.prefix(length), length)
        }
        return (nil, 1)
    }

    /// The normalized form of `input` (UTF-8 in, UTF-8 out).
    func normalize(_ input: ArraySlice<UInt8>) -> [UInt8] {
        input.withUnsafeBufferPointer { input in
            replacements.withUnsafeBufferPointer { replacements in
                normalize(input[...], replacements: replacements)
            }
        }
    }

    private func normalize(_ input: Slice<UnsafeBufferPointer<UInt8>>, replacements: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var input = input
        let space: UInt8 = 0x20
        if spec.removeExtraWhitespaces {
            while !input.isEmpty {
                let prefix = normalizePrefix(input, replacements: replacements)
                guard let replacement = prefix.replacement, replacement.count == 1, replacement.first == space else { break }
                input = input.dropFirst(prefix.consumed)
            }
        }
        guard !input.isEmpty else { return [] }

        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3)
        let escapedSpace = spec.escapeWhitespaces ? UTF8Scanning.spaceSymbol : [space]
        if !treatWhitespaceAsSuffix && spec.addDummyPrefix { output += escapedSpace }

        var previousIsSpace = spec.removeExtraWhitespaces
        /// Appends a replacement: without its leading spaces after a space, spaces escaped.
        func emit<Bytes: Collection>(_ replacement: Bytes) where Bytes.Element == UInt8, Bytes.SubSequence: Collection<UInt8> {
            var piece = replacement[...]
            while previousIsSpace, piece.first == space { piece = piece.dropFirst() }
            guard !piece.isEmpty else { return }
            var last = space
            for byte in piece {
                if byte == space && spec.escapeWhitespaces {
                    output += UTF8Scanning.spaceSymbol
                } else {
                    output.append(byte)
                }
                last = byte
            }
            previousIsSpace = last == space
        }
        while !input.isEmpty {
            let (replacement, consumed) = normalizePrefix(input, replacements: replacements)
            if let replacement { emit(replacement) } else { emit(UTF8Scanning.replacementCharacter) }
            input = input.dropFirst(consumed)
            if !spec.removeExtraWhitespaces { previousIsSpace = false }
        }

        if spec.removeExtraWhitespaces {
            while output.count >= escapedSpace.count, output[(output.count - escapedSpace.count)...].elementsEqual(escapedSpace) {
                output.removeLast(escapedSpace.count)
            }
        }
        if treatWhitespaceAsSuffix && spec.addDummyPrefix { output += escapedSpace }
        return output
    }
}

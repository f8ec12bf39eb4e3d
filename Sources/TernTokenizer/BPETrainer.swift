import HeapModule

/// Learns a `SubwordVocabulary` from text by byte-pair encoding.
///
/// Text is normalized, cut at ICU word boundaries (or as `Options.preTokenization` says) and counted as pre-tokens (see
/// `PreTokenizer`). The alphabet is the most frequent characters covering
/// `characterCoverage` of all character occurrences; rarer ones are left to byte fallback.
/// Then the most frequent adjacent pair of pieces is merged, again and again, until the
/// vocabulary reaches `size` pieces or no pair occurs `minPairFrequency` times.
///
/// Deterministic: ties go to the pair whose pieces were created first, so the same input
/// always gives the same vocabulary.
public struct BPETrainer: Sendable {
    public struct Options: Sendable, Codable, Equatable {
        /// The total number of pieces, special tokens and byte pieces included.
        public var size: Int
        public var normalization: NormalizationForm
        /// The share of character occurrences the alphabet must cover, in (0, 1].
        public var characterCoverage: Double
        /// Pairs seen fewer times than this are never merged.
        public var minPairFrequency: Int
        public var maxPreTokenLength: Int
        public var preTokenization: PreTokenization

        public init(size: Int, normalization: NormalizationForm = .nfkc, characterCoverage: Double = 0.9995,
                    minPairFrequency: Int = 2, maxPreTokenLength: Int = 64, preTokenization: PreTokenization = .icuWord) {
            self.size = size
            self.normalization = normalization
            self.characterCoverage = characterCoverage
            self.minPairFrequency = minPairFrequency
            self.maxPreTokenLength = maxPreTokenLength
            self.preTokenization = preTokenization
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Learns a vocabulary from `lines`.
    /// - Throws: `TokenizerError.vocabularySizeTooSmall`, `.emptyTrainingCorpus`, or an ICU failure.
    public func learn(lines: some Sequence<String>) throws -> SubwordVocabulary {
        guard options.size >= SubwordVocabulary.fixedPieceCount + 1 else {
            throw TokenizerError.vocabularySizeTooSmall(requested: options.size, minimum: SubwordVocabulary.fixedPieceCount + 1)
        }
        let wordCounts = try countPreTokens(lines)
        guard !wordCounts.isEmpty else { throw TokenizerError.emptyTrainingCorpus }

        var pieces = [SubwordVocabulary.eosPiece, SubwordVocabulary.unknownPiece, SubwordVocabulary.separatorPiece]
            + (0..<256).map(SubwordVocabulary.bytePiece)
        let markerID = Int32(pieces.count)
        pieces.append(String(PreTokenizer.spaceMarker))
        let alphabetBudget = options.size - SubwordVocabulary.fixedPieceCount
        var characterIDs: [UInt32: Int32] = [:]
        for scalar in chooseAlphabet(wordCounts).prefix(alphabetBudget) {
            characterIDs[scalar.value] = Int32(pieces.count)
            pieces.append(String(scalar))
        }

        var corpus = MergeCorpus(wordCounts: wordCounts, markerID: markerID, characterIDs: characterIDs)
        let merges = corpus.learnMerges(pieces: &pieces, until: options.size - 1, minFrequency: options.minPairFrequency)
        pieces.append(SubwordVocabulary.padPiece)
        return try SubwordVocabulary(pieces: pieces, merges: merges.map { (pieces[Int($0.left)], pieces[Int($0.right)]) },
                                     normalization: options.normalization, preTokenization: options.preTokenization,
                                     maxPreTokenLength: options.maxPreTokenLength)
    }

    /// Pre-token frequencies. A key is the leading-space count followed by the UTF-16 units.
    private func countPreTokens(_ lines: some Sequence<String>) throws -> [[UInt16]: Int] {
        let segmenter = try TextSegmenter(normalization: options.normalization, preTokenization: options.preTokenization,
                                          maxPreTokenLength: options.maxPreTokenLength)
        var counts: [[UInt16]: Int] = [:]
        var key: [UInt16] = []
        for line in lines {
            segmenter.forEachPreToken(in: line) { preToken, units in
                key.removeAll(keepingCapacity: true)
                key.append(UInt16(min(preToken.leadingSpaces, Int(UInt16.max))))
                key.append(contentsOf: units)
                counts[key, default: 0] += 1
            }
        }
        return counts
    }

    /// Alphabet characters by falling frequency (ties by code point), cut at the coverage.
    private func chooseAlphabet(_ wordCounts: [[UInt16]: Int]) -> [Unicode.Scalar] {
        var characterCounts: [Unicode.Scalar: Int] = [:]
        for (key, count) in wordCounts {
            for scalar in String(decoding: key.dropFirst(), as: UTF16.self).unicodeScalars
            where SubwordVocabulary.isAlphabetCharacter(scalar) {
                characterCounts[scalar, default: 0] += count
            }
        }
        let ranked = characterCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.value < $1.key.value }
        let total = ranked.reduce(0) { $0 + $1.value }
        let needed = Double(total) * min(max(options.characterCoverage, 0), 1)
        var covered = 0
        var alphabet: [Unicode.Scalar] = []
        for (scalar, count) in ranked where Double(covered) < needed {
            alphabet.append(scalar)
            covered += count
        }
        return alphabet
    }
}

/// The working state of BPE learning: each distinct pre-token as a sequence of piece ids, with
/// pair counts kept up to date incrementally as merges are applied.
private struct MergeCorpus {
    /// A merge candidate; the heap's maximum is the most frequent pair, ties to lower ids.
    struct Candidate: Comparable {
        var count: Int
        var left: Int32
        var right: Int32

        static func < (a: Candidate, b: Candidate) -> Bool {
            if a.count != b.count { return a.count < b.count }
            if a.left != b.left { return a.left > b.left }
            return a.right > b.right
        }
    }

    /// Stands for a character outside the alphabet: pairs with it are never merged.
    static let barrier: Int32 = -1

    var words: [[Int32]] = []
    var frequencies: [Int] = []
    var pairCounts: [UInt64: Int] = [:]
    var wordsWithPair: [UInt64: [Int32]] = [:]

    init(wordCounts: [[UInt16]: Int], markerID: Int32, characterIDs: [UInt32: Int32]) {
        for (key, count) in wordCounts {
            var symbols = [Int32](repeating: markerID, count: Int(key[0]))
            for scalar in String(decoding: key.dropFirst(), as: UTF16.self).unicodeScalars {
                symbols.append(scalar == PreTokenizer.spaceMarker ? Self.barrier : characterIDs[scalar.value] ?? Self.barrier)
            }
            let wordIndex = Int32(words.count)
            words.append(symbols)
            frequencies.append(count)
            forEachPair(in: symbols) { key in
                pairCounts[key, default: 0] += count
                wordsWithPair[key, default: []].append(wordIndex)
            }
        }
    }

    /// Merges pairs until `pieces` holds `limit` pieces or no pair is frequent enough, appending
    /// the new pieces. Returns the merge rules in the order learned.
    mutating func learnMerges(pieces: inout [String], until limit: Int, minFrequency: Int) -> [(left: Int32, right: Int32)] {
        var pieceIDs = Dictionary(uniqueKeysWithValues: pieces.enumerated().map { ($1, Int32($0)) })
        let reserved = Set(pieces[0..<Int(SubwordVocabulary.firstByteID + 256)] + [SubwordVocabulary.padPiece])
        var heap = Heap(pairCounts.map { Candidate(count: $1, left: Self.left($0), right: Self.right($0)) })
        var merges: [(left: Int32, right: Int32)] = []
        var lastVisit = [Int](repeating: -1, count: words.count)

        while pieces.count < limit, let best = heap.popMax() {
            let key = SubwordVocabulary.pairKey(best.left, best.right)
            let current = pairCounts[key] ?? 0
            if current != best.count {
                if current > 0 { heap.insert(Candidate(count: current, left: best.left, right: best.right)) }
                continue
            }
            guard current >= minFrequency else { break }
            let spelling = pieces[Int(best.left)] + pieces[Int(best.right)]
            if reserved.contains(spelling) {
                pairCounts[key] = 0
                continue
            }
            let merged: Int32
            if let existing = pieceIDs[spelling] {
                merged = existing
            } else {
                merged = Int32(pieces.count)
                pieces.append(spelling)
                pieceIDs[spelling] = merged
            }
            merges.append((best.left, best.right))
            var touched = Set<UInt64>()
            for wordIndex in wordsWithPair.removeValue(forKey: key) ?? [] where lastVisit[Int(wordIndex)] != merges.count {
                lastVisit[Int(wordIndex)] = merges.count
                apply(left: best.left, right: best.right, merged: merged, toWord: Int(wordIndex), touched: &touched)
            }
            for touchedKey in touched.sorted() {
                let count = pairCounts[touchedKey] ?? 0
                if count > 0 { heap.insert(Candidate(count: count, left: Self.left(touchedKey), right: Self.right(touchedKey))) }
            }
        }
        return merges
    }

    /// Rewrites one word with the merge, updating pair counts. Pairs that now contain `merged`
    /// are recorded in `touched`: only their counts can have grown.
    private mutating func apply(left: Int32, right: Int32, merged: Int32, toWord wordIndex: Int, touched: inout Set<UInt64>) {
        let old = words[wordIndex]
        var new: [Int32] = []
        new.reserveCapacity(old.count)
        var index = 0
        while index < old.count {
            if index + 1 < old.count, old[index] == left, old[index + 1] == right {
                new.append(merged)
                index += 2
            } else {
                new.append(old[index])
                index += 1
            }
        }
        guard new.count != old.count else { return }
        let frequency = frequencies[wordIndex]
        forEachPair(in: old) { pairCounts[$0, default: 0] -= frequency }
        forEachPair(in: new) { key in
            pairCounts[key, default: 0] += frequency
            if Self.left(key) == merged || Self.right(key) == merged {
                touched.insert(key)
                wordsWithPair[key, default: []].append(Int32(wordIndex))
            }
        }
        words[wordIndex] = new
    }

    private func forEachPair(in symbols: [Int32], _ body: (UInt64) -> Void) {
        guard symbols.count > 1 else { return }
        for index in 0..<(symbols.count - 1) where symbols[index] != Self.barrier && symbols[index + 1] != Self.barrier {
            body(SubwordVocabulary.pairKey(symbols[index], symbols[index + 1]))
        }
    }

    private static func left(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(key >> 32)) }
    private static func right(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key)) }
}

import TernTokenizer
import TestSupport
import Testing
@testable import TernTranslate

struct LongSentenceSplitterTests {

    @Test("parts fit the limit, join to the sentence's own encoding, and break only between words (or inside a word longer than the limit)",
          arguments: [
              String(repeating: "A man in a blue shirt rides a bike past two dogs. ", count: 30),
              String(repeating: "supercalifragilisticexpialidocious ", count: 50),
              String(repeating: "x", count: 5000) + " and then some words",
              "short sentence",
          ], [7, 31, 255])
    func partition(sentence: String, limit: Int) throws {
        let tokenizer = try Tokenizer(vocabulary: VocabularyStore.load(from: PackagePaths.vocabulary("multi30k-en-de")))
        let parts = LongSentenceSplitter.parts(of: sentence, limit: limit, tokenizer: tokenizer)
        #expect(parts.allSatisfy { !$0.isEmpty && $0.count <= limit })
        #expect(parts.flatMap { $0 } == tokenizer.encode(sentence), "nothing dropped, nothing changed")
        // Naive oracle for the cut points: every word boundary, plus every multiple of the limit
        // inside a word longer than the limit.
        var allowed: Set<Int> = [], offset = 0
        for word in tokenizer.encodeWords(sentence) {
            allowed.insert(offset)
            if word.count > limit { for inside in stride(from: limit, to: word.count, by: limit) { allowed.insert(offset + inside) } }
            offset += word.count
        }
        var cut = 0
        for part in parts.dropLast() {
            cut += part.count
            #expect(allowed.contains(cut), "a cut at piece \(cut) that is not a word boundary")
        }
        if tokenizer.encode(sentence).count <= limit { #expect(parts.count == 1) }
    }
}

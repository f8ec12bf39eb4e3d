import TernTokenizer
import Testing

@Suite struct SentenceSplitterTests {
    @Test("sentences are split at ICU boundaries and nothing is lost", arguments: [
        ("A dog runs. It is happy!", ["A dog runs. ", "It is happy!"]),
        ("我爱你。今天天气很好！你呢？", ["我爱你。", "今天天气很好！", "你呢？"]),
        ("Mr. Smith arrived at 3.30 p.m. yesterday.", nil),
        ("no final stop", ["no final stop"]),
        ("", []),
    ] as [(String, [String]?)])
    func split(text: String, expected: [String]?) throws {
        let sentences = try SentenceSplitter().split(text)
        #expect(sentences.joined() == text)
        if let expected { #expect(sentences == expected) }
    }
}

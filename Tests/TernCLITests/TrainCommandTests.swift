import Foundation
import TestSupport
import Testing

/// `tern train`'s command line, on the committed smoke corpus with a tiny model.
@Suite struct TrainCommandTests {
    @Test("an unknown --bleu-tokenize is a usage error (exit 64) listing the tokenizations")
    func unknownBLEUTokenization() throws {
        let result = try ProcessRunner.tern(["train", "--name", "unused", "--bleu-tokenize", "13b"])
        #expect(result.exitCode == 64)
        #expect(result.errorText.contains("'13b'") && result.errorText.contains("--bleu-tokenize"), "\(result.errorText)")
        #expect(result.errorText.contains("'13a', 'zh', 'intl' or 'none'"), "\(result.errorText)")
    }
}

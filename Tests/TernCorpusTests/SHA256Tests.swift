import Foundation
import TestSupport
import Testing
@testable import TernCorpus

struct SHA256Tests {
    @Test("NIST FIPS 180-4 example messages", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hash(Array(message.utf8)).hex == expected)
    }

    @Test("a million 'a's fed in uneven pieces hash like the NIST long message")
    func incrementalUpdates() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        let pieceSizes = [1, 63, 64, 65, 127, 4096]
        var offset = 0
        var piece = 0
        while offset < message.count {
            let end = min(offset + pieceSizes[piece % pieceSizes.count], message.count)
            hasher.update(Array(message[offset..<end]))
            offset = end
            piece += 1
        }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("finalize leaves the hasher usable")
    func finalizeDoesNotConsume() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test("file hashes agree with sha256sum",
          .enabled(if: SharedCorpora.directory != nil, "../shared/corpora is absent"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum"), "sha256sum is not installed"),
          arguments: ["3am-en-zh/train.zh", "multi30k/val.de.gz", "tatoeba-en-zh/cmn.txt"])
    func agreesWithSha256sum(file: String) throws {
        let url = try #require(SharedCorpora.directory).appendingPathComponent(file)
        #expect(try SHA256.hash(fileAt: url).hex == sha256sum(url))
    }

    private func sha256sum(_ url: URL) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/sha256sum", [url.path])
        try #require(result.exitCode == 0, "\(result.errorText)")
        return result.outputText.split(separator: " ").first.map(String.init) ?? ""
    }
}

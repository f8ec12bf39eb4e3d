import Foundation

/// The API keys a server accepts (`--api-key-file`: one key a line; blank lines and lines
/// starting with `#` are skipped). A key comes in the request body's `api_key` (as LibreTranslate
/// clients send it) or in an `Authorization: Bearer KEY` header.
///
/// Keys are compared in time that depends only on the lengths of the keys on file, never on
/// where a guess first differs, and every key is compared.
public struct APIKeys: Sendable {
    private let keys: [[UInt8]]

    /// - Throws: `ServeError.invalidAPIKeyFile` when the file cannot be read or holds no key.
    public init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ServeError.invalidAPIKeyFile("cannot read the API key file \(file): check the path and its permissions")
        }
        keys = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { Array($0.utf8) }
        guard !keys.isEmpty else {
            throw ServeError.invalidAPIKeyFile("the API key file \(file) holds no key: write one key a line")
        }
    }

    /// - Throws: `ServeError.forbidden` unless `key` is one of the keys.
    func authorize(_ key: String?) throws {
        guard let key else {
            throw ServeError.forbidden("this server needs an API key: send it as api_key in the body or as Authorization: Bearer KEY")
        }
        let candidate = Array(key.utf8)
        var matched = false
        for known in keys { matched = Self.constantTimeEqual(candidate, known) || matched }
        guard matched else { throw ServeError.forbidden("the API key is not valid: check it with the server's operator") }
    }

    /// `candidate == known`, reading every byte of `known` whatever `candidate` holds.
    static func constantTimeEqual(_ candidate: [UInt8], _ known: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: candidate.count ^ known.count)
        for index in known.indices {
            difference |= known[index] ^ (index < candidate.count ? candidate[index] : 0)
        }
        return difference == 0
    }
}

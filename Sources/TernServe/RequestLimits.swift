/// What one request may ask for. Larger requests are refused with 413 and a message naming the
/// limit and the `tern serve` flag that raises it.
public struct RequestLimits: Sendable {
    /// The most bytes in a request body (`--max-request-bytes`).
    public var maximumRequestBytes: Int
    /// The most lines in one request, counting each line of a multi-line text (`--max-lines`).
    public var maximumLines: Int
    /// The most characters in one line (`--max-line-characters`).
    public var maximumLineCharacters: Int
    /// The widest beam a request may ask for (`--max-beam`).
    public var maximumBeam: Int

    public init(maximumRequestBytes: Int = 1 << 20, maximumLines: Int = 1_000, maximumLineCharacters: Int = 5_000, maximumBeam: Int = 8) {
        self.maximumRequestBytes = maximumRequestBytes
        self.maximumLines = maximumLines
        self.maximumLineCharacters = maximumLineCharacters
        self.maximumBeam = maximumBeam
    }

    /// - Throws: `ServeError.tooLarge` when `lines` are too many or one is too long.
    func check(_ lines: [String]) throws {
        guard lines.count <= maximumLines else {
            throw ServeError.tooLarge("the request has \(lines.count) lines; at most \(maximumLines) are allowed (--max-lines): send fewer per request")
        }
        if let index = lines.firstIndex(where: { $0.count > maximumLineCharacters }) {
            throw ServeError.tooLarge("line \(index + 1) has \(lines[index].count) characters; at most \(maximumLineCharacters) are allowed (--max-line-characters): split it")
        }
    }
}

/// A reader of the protobuf wire format (varints, fixed 32/64-bit values, length-delimited
/// fields), enough to decode `ModelProto` without generated code. Every read is bounds-checked
/// and throws `SentencePieceError.malformedProtobuf` instead of reading past the end.
struct ProtobufReader {
    /// How a field's value is laid out on the wire (the low three bits of its tag).
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int

    /// A reader of `bytes[range]`; offsets in errors count from the start of `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }

    private func failure(_ reason: String) -> SentencePieceError {
        .malformedProtobuf(offset: position, reason: reason)
    }

    /// The next field's number and wire type.
    mutating func readTag() throws -> (field: Int, wireType: WireType) {
        let tag = try readVarint()
        guard let wireType = WireType(rawValue: tag & 7) else {
            throw failure("wire type \(tag & 7) does not exist")
        }
        let field = tag >> 3
        guard field >= 1, field <= 536_870_911 else { throw failure("field number \(field) is out of range") }
        return (Int(field), wireType)
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard position < end else { throw failure("truncated varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 { throw failure("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return result }
        }
        throw failure("varint longer than 10 bytes")
    }

    mutating func readFixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw failure("truncated 32-bit value") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[position + index]) << UInt32(8 * index) }
        position += 4
        return value
    }

    /// The range of a length-delimited value's bytes, which the reader steps over.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw failure("a length of \(length) bytes runs past the end (\(end - position) left)")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readBytes() throws -> [UInt8] {
        Array(bytes[try readLengthDelimited()])
    }

    /// A reader of the embedded message that comes next.
    mutating func readMessage() throws -> ProtobufReader {
        ProtobufReader(bytes, range: try readLengthDelimited())
    }

    /// An `int32` or enum value: the varint's low 32 bits, as protobuf's C++ parser takes them.
    mutating func readInt32() throws -> Int {
        Int(Int32(truncatingIfNeeded: try readVarint()))
    }

    mutating func readBool() throws -> Bool {
        try readVarint() != 0
    }

    mutating func readFloat() throws -> Float {
        Float(bitPattern: try readFixed32())
    }

    /// Steps over a field this reader does not use.
    mutating func skip(_ wireType: WireType) throws {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard end - position >= 8 else { throw failure("truncated 64-bit value") }
            position += 8
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        case .startGroup, .endGroup: throw failure("groups are not used by ModelProto")
        }
    }
}

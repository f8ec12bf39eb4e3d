import Foundation

/// The members of a zip archive whose contents are stored uncompressed, as `torch.save` writes
/// them: read from the central directory (ZIP64 included), each member's bytes located through
/// its local header, all bounds checked against the file.
///
/// A member compressed with any method other than "stored" is listed but cannot be read.
struct StoredZipArchive {
    /// One member: its name, compression method and the byte range of its data in the archive.
    struct Member: Equatable {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var data: Range<Int>
    }

    /// Members by name.
    let members: [String: Member]

    private static let endOfCentralDirectory: UInt32 = 0x0605_4B50
    private static let zip64Locator: UInt32 = 0x0706_4B50
    private static let zip64EndOfCentralDirectory: UInt32 = 0x0606_4B50
    private static let centralHeader: UInt32 = 0x0201_4B50
    private static let localHeader: UInt32 = 0x0403_4B50
    /// The compression method of members stored as they are.
    static let storedMethod: UInt16 = 0

    /// Reads the directory of the archive in `bytes`.
    /// - Throws: `StoredZipArchive.Failure` saying which structure is damaged.
    init(_ bytes: Data) throws {
        let reader = ByteReader(bytes)
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        guard bytes.count >= 22,
              let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: { reader.u32($0) == Self.endOfCentralDirectory })
        else { throw Failure("it is not a zip archive (no end-of-central-directory record)") }
        var count = Int(reader.u16(end + 10)!)
        var directoryOffset = Int(reader.u32(end + 16)!)
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            guard end >= 20, reader.u32(end - 20) == Self.zip64Locator, let recordOffset = reader.u64(end - 12),
                  reader.u32(recordOffset) == Self.zip64EndOfCentralDirectory,
                  let count64 = reader.u64(recordOffset + 32), let offset64 = reader.u64(recordOffset + 48)
            else { throw Failure("its ZIP64 end-of-central-directory record is missing or damaged") }
            count = count64
            directoryOffset = offset64
        }
        var members: [String: Member] = [:]
        var position = directoryOffset
        for _ in 0..<count {
            guard reader.u32(position) == Self.centralHeader, let method = reader.u16(position + 10), let crc = reader.u32(position + 16),
                  let compressed32 = reader.u32(position + 20), let uncompressed32 = reader.u32(position + 24),
                  let nameLength = reader.u16(position + 28), let extraLength = reader.u16(position + 30),
                  let commentLength = reader.u16(position + 32), let local32 = reader.u32(position + 42),
                  let nameBytes = reader.bytes(position + 46, Int(nameLength)),
                  let extra = reader.bytes(position + 46 + Int(nameLength), Int(extraLength))
            else { throw Failure("its central directory is truncated or damaged") }
            let name = String(decoding: nameBytes, as: UTF8.self)
            // ZIP64: the 8-byte sizes and offset that did not fit replace 0xFFFFFFFF, in this order.
            var wide = Self.zip64Fields(extra)
            func field(_ narrow: UInt32) throws -> Int {
                guard narrow == 0xFFFF_FFFF else { return Int(narrow) }
                guard !wide.isEmpty else { throw Failure("member '\(name)' lacks its ZIP64 sizes") }
                return wide.removeFirst()
            }
            let uncompressed = try field(uncompressed32), compressed = try field(compressed32), local = try field(local32)
            guard reader.u32(local) == Self.localHeader, let localName = reader.u16(local + 26), let localExtra = reader.u16(local + 28)
            else { throw Failure("the local header of member '\(name)' is missing or damaged") }
            let start = local + 30 + Int(localName) + Int(localExtra)
            let (stop, overflow) = start.addingReportingOverflow(compressed)
            guard !overflow, stop <= bytes.count else { throw Failure("member '\(name)' runs past the end of the file; it is truncated") }
            guard method != Self.storedMethod || compressed == uncompressed else {
                throw Failure("member '\(name)' is stored but its sizes differ (\(compressed) and \(uncompressed))")
            }
            members[name] = Member(name: name, method: method, crc32: crc, data: start..<stop)
            position += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
        }
        self.members = members
    }

    /// The 8-byte values of a ZIP64 extended-information field (header id 1) in `extra`.
    private static func zip64Fields(_ extra: [UInt8]) -> [Int] {
        let reader = ByteReader(Data(extra))
        var position = 0
        while let id = reader.u16(position), let size = reader.u16(position + 2) {
            if id == 1 {
                return stride(from: position + 4, to: position + 4 + Int(size) - 7, by: 8).compactMap { reader.u64($0) }
            }
            position += 4 + Int(size)
        }
        return []
    }

    /// A damaged or unreadable archive.
    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

/// Little-endian reads at byte offsets, nil outside the data.
struct ByteReader {
    let data: Data
    init(_ data: Data) { self.data = data }

    func value(_ offset: Int, width: Int) -> UInt64? {
        guard offset >= 0, offset <= data.count - width else { return nil }
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt64 in
            var value: UInt64 = 0
            for byte in 0..<width { value |= UInt64(raw[offset + byte]) << (8 * UInt64(byte)) }
            return value
        }
    }
    func u16(_ offset: Int) -> UInt16? { value(offset, width: 2).map { UInt16($0) } }
    func u32(_ offset: Int) -> UInt32? { value(offset, width: 4).map { UInt32($0) } }
    /// An 8-byte value that fits `Int`, or nil.
    func u64(_ offset: Int) -> Int? { value(offset, width: 8).flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil } }
    func bytes(_ offset: Int, _ count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= data.count - count else { return nil }
        return [UInt8](data[(data.startIndex + offset)..<(data.startIndex + offset + count)])
    }
}

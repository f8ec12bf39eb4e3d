import Foundation
import FuzzSupport
import TernIO

/// `LineReader`: the input (after one control byte) is read twice, from a file and from a pipe
/// written in chunks whose sizes come from the control byte, mixing `readLine()`,
/// `hasBufferedLine` and `bufferedLines(limit:)`. Both must give exactly one `TextLine` per
/// `\n`-terminated record plus one for an unterminated last record, numbered from 1, each the
/// record without its `\n` and one `\r` before it, invalid UTF-8 repaired to U+FFFD and flagged.
let path = FuzzSupport.scratch + "/input.txt"
/// Pipe mode writes everything before the reader catches up at the end; stay below the pipe's
/// 64 KiB so that a write never blocks.
let pipeLimit = 60_000

struct Expected {
    var texts: [[UInt8]] = []
    var repaired: [Bool] = []
    /// Offset just past each record's `\n` (for the unterminated last record, the input's end).
    var ends: [Int] = []
    var terminatedCount = 0
}

func expectedLines(_ body: UnsafeBufferPointer<UInt8>) -> Expected {
    var expected = Expected()
    var start = 0
    func add(_ record: Slice<UnsafeBufferPointer<UInt8>>, end: Int) {
        let content = record.last == UInt8(ascii: "\r") ? record.dropLast() : record
        expected.texts.append(Array(String(decoding: content, as: UTF8.self).utf8))
        expected.repaired.append(String(validating: content, as: UTF8.self) == nil)
        expected.ends.append(end)
    }
    for index in body.indices where body[index] == UInt8(ascii: "\n") {
        add(body[start..<index], end: index + 1)
        start = index + 1
    }
    expected.terminatedCount = expected.texts.count
    if start < body.count { add(body[start..<body.count], end: body.count) }
    return expected
}

func compare(_ lines: [TextLine], _ expected: Expected, _ mode: String) {
    FuzzSupport.check(lines.count == expected.texts.count,
                      "[\(mode)] \(lines.count) lines read, \(expected.texts.count) expected")
    for (index, line) in lines.enumerated() {
        FuzzSupport.check(line.number == index + 1, "[\(mode)] line \(index + 1) numbered \(line.number)")
        FuzzSupport.check(Array(line.text.utf8) == expected.texts[index],
                          "[\(mode)] line \(index + 1) is \(FuzzSupport.describe(line.text.utf8)), expected \(FuzzSupport.describe(expected.texts[index]))")
        FuzzSupport.check(line.repairedInvalidUTF8 == expected.repaired[index],
                          "[\(mode)] line \(index + 1) repairedInvalidUTF8 = \(line.repairedInvalidUTF8)")
    }
}

func writeAll(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, to descriptor: Int32) {
    var offset = bytes.startIndex
    while offset < bytes.endIndex {
        let count = write(descriptor, bytes.base.baseAddress! + offset, bytes.endIndex - offset)
        guard count > 0 else { fatalError("pipe write failed: \(String(cString: strerror(errno)))") }
        offset += count
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let control = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let expected = expectedLines(body)

    // From a file.
    FuzzSupport.write(body, to: path)
    do {
        compare(try LineReader(path: path).readAllLines(), expected, "file")
    } catch {
        FuzzSupport.check(false, "reading \(path) failed: \(error)")
    }

    // From a pipe, in chunks.
    guard body.count <= pipeLimit else { return 0 }
    var descriptors: [Int32] = [0, 0]
    guard pipe(&descriptors) == 0 else { fatalError("pipe failed") }
    let reader: LineReader
    do {
        reader = try LineReader(path: "/dev/fd/\(descriptors[0])")
    } catch {
        fatalError("cannot open the pipe: \(error)")
    }
    close(descriptors[0])
    let writer = descriptors[1]
    var lines: [TextLine] = []
    var written = 0
    var state = UInt32(control) &* 2_654_435_761 | 1
    func nextRandom() -> Int {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Int(state >> 8)
    }
    let largestChunk = [1, 3, 16, 64, 512, 4096, 65_536, 7][Int(control & 7)]
    do {
        while written < body.count {
            let count = min(1 + nextRandom() % largestChunk, body.count - written)
            writeAll(body[written..<(written + count)], to: writer)
            written += count
            // Take only the lines complete in what was written, so that nothing blocks.
            while lines.count < expected.terminatedCount, expected.ends[lines.count] <= written {
                if control & 8 != 0, reader.hasBufferedLine {
                    let batch = reader.bufferedLines(limit: 1 + nextRandom() % 4)
                    FuzzSupport.check(!batch.isEmpty, "[pipe] hasBufferedLine but bufferedLines gave none")
                    lines += batch
                } else {
                    guard let line = try reader.readLine() else {
                        FuzzSupport.check(false, "[pipe] readLine gave nil before the end")
                        return 0
                    }
                    lines.append(line)
                }
            }
        }
        close(writer)
        lines += try reader.readAllLines()
    } catch {
        FuzzSupport.check(false, "reading the pipe failed: \(error)")
    }
    compare(lines, expected, "pipe")
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)

import Foundation
import TernIO
import TestSupport
import Testing

@Suite struct LineReaderTests {
    func lines(of bytes: [UInt8]) throws -> [TextLine] {
        let folder = try TemporaryDirectory()
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("input")))
        return try LineReader(path: folder.file("input")).readAllLines()
    }

    @Test("N lines in give N lines out, empty lines and a missing final newline included", arguments: [
        ("a\nb\nc\n", ["a", "b", "c"]),
        ("a\nb\nc", ["a", "b", "c"]),
        ("\n\n\n", ["", "", ""]),
        ("", []),
        ("only", ["only"]),
        ("x\r\ny\r\n", ["x", "y"]),
        ("\r\n\r\n", ["", ""]),
        ("a\r\r\nlast\r", ["a\r", "last"]),
        ("in\rside\n", ["in\rside"]),
    ])
    func lineCounts(text: String, expected: [String]) throws {
        let read = try lines(of: Array(text.utf8))
        #expect(read.map(\.text) == expected)
        #expect(read.map(\.number) == expected.indices.map { $0 + 1 })
        #expect(read.allSatisfy { !$0.repairedInvalidUTF8 })
    }

    @Test("invalid UTF-8 becomes U+FFFD and the line is flagged, never dropped")
    func invalidUTF8IsRepaired() throws {
        let bytes: [UInt8] = Array("ok\n".utf8) + [0x61, 0xFF, 0x62, 0x0A] + [0xE6, 0x88] + Array("\nend\n".utf8)
        let read = try lines(of: bytes)
        #expect(read.map(\.text) == ["ok", "a\u{FFFD}b", "\u{FFFD}", "end"])
        #expect(read.map(\.repairedInvalidUTF8) == [false, true, true, false])
    }

    @Test("a line longer than the read chunk arrives whole")
    func hugeLine() throws {
        let huge = String(repeating: "我爱你 ", count: 100_000)
        let read = try lines(of: Array((huge + "\nshort\n").utf8))
        #expect(read.map(\.text) == [huge, "short"])
    }

    @Test("a missing file gives an error that names it")
    func missingFile() {
        #expect(throws: TernIOError.cannotOpen(path: "/nonexistent/input.txt", reason: "no such file or directory")) {
            try LineReader(path: "/nonexistent/input.txt")
        }
        #expect(throws: TernIOError.cannotOpen(path: "/tmp", reason: "it is a folder")) {
            try LineReader(path: "/tmp")
        }
    }

    @Test("written lines read back identically")
    func writeThenRead() throws {
        let folder = try TemporaryDirectory()
        let written = ["one", "", "drei 三", String(repeating: "z", count: 200_000)]
        let writer = try LineWriter(path: folder.file("out"))
        for line in written { try writer.write(line) }
        try writer.flush()
        #expect(try LineReader(path: folder.file("out")).readAllLines().map(\.text) == written)
    }

    @Test("a line is returned as soon as it arrives through a pipe that stays open; lines that came with it are handed over without waiting")
    func linesArriveWithoutWaitingForMore() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[1]) }
        let reader = try LineReader(path: "/dev/fd/\(descriptors[0])")
        close(descriptors[0])
        let first = Array("one\ntwo\nthr".utf8)
        #expect(FileDescriptorWrite.writeAll(first[...], to: descriptors[1]) == 0)
        // With the pipe still open, a reader that waited for 64 KiB or the end would block here.
        let read = ReadWithTimeout { try reader.readLine()?.text }
        #expect(read.result(timeout: 10) == "one")
        #expect(reader.hasBufferedLine)
        #expect(reader.bufferedLines(limit: 10).map(\.text) == ["two"])
        #expect(!reader.hasBufferedLine, "the unfinished line stays until its newline arrives")
        let rest = Array("ee\n".utf8)
        #expect(FileDescriptorWrite.writeAll(rest[...], to: descriptors[1]) == 0)
        #expect(try reader.readLine()?.text == "three")
    }
}

/// Runs a blocking read on its own thread, so that a test fails instead of hanging.
private final class ReadWithTimeout: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: String?

    init(_ body: @escaping () throws -> String?) {
        nonisolated(unsafe) let body = body
        Thread { [self] in
            value = try? body()
            done.signal()
        }.start()
    }

    func result(timeout: TimeInterval) -> String? {
        done.wait(timeout: .now() + timeout) == .success ? value : nil
    }
}

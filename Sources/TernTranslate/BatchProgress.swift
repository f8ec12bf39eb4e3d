import Foundation

/// How far a batch run has got, reported after every chunk written.
public struct BatchProgress: Sendable, Equatable {
    /// Lines of the shard in the output so far, including those kept from an interrupted run.
    public var linesDone: Int
    /// Lines in the shard.
    public var linesTotal: Int
    /// Lines translated by this run.
    public var linesTranslated: Int
    public var sourceTokens: Int
    public var targetTokens: Int
    /// Seconds since this run started.
    public var elapsed: Double

    public init(linesDone: Int, linesTotal: Int, linesTranslated: Int, sourceTokens: Int, targetTokens: Int, elapsed: Double) {
        self.linesDone = linesDone
        self.linesTotal = linesTotal
        self.linesTranslated = linesTranslated
        self.sourceTokens = sourceTokens
        self.targetTokens = targetTokens
        self.elapsed = elapsed
    }

    /// Target tokens per second of this run.
    public var targetTokensPerSecond: Double { Double(targetTokens) / max(elapsed, 1e-9) }
}

/// Shows `BatchProgress` on standard error: on a terminal a bar redrawn in place, elsewhere (a
/// log file) a plain line every `plainInterval` seconds or every 10 % of the lines:
///
/// ```text
/// translated 3,000/29,000 lines, 812 tokens/s
/// ```
public final class BatchProgressDisplay {
    /// Seconds between plain lines at most (unless a 10 % step comes first).
    public static let plainInterval = 10.0
    private static let barWidth = 30

    private let isTerminal: Bool
    private let write: (String) -> Void
    private var drewBar = false
    private var lastPlainLine: (elapsed: Double, tenths: Int)?

    /// - Parameters:
    ///   - isTerminal: draw a bar; by default, whether standard error is a terminal.
    ///   - write: where the text goes; by default standard error.
    public init(isTerminal: Bool = isatty(STDERR_FILENO) != 0,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.isTerminal = isTerminal
        self.write = write
    }

    public func show(_ progress: BatchProgress) {
        let fraction = progress.linesTotal == 0 ? 1 : Double(progress.linesDone) / Double(progress.linesTotal)
        let counts = "\(progress.linesDone.grouped)/\(progress.linesTotal.grouped) lines, \(Int(progress.targetTokensPerSecond.rounded()).grouped) tokens/s"
        if isTerminal {
            let filled = Int(fraction * Double(Self.barWidth))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.barWidth - filled)
            write("\r[\(bar)] \(Int(fraction * 100))%  \(counts)\u{1B}[K")
            drewBar = true
        } else {
            let tenths = Int(fraction * 10)
            if let last = lastPlainLine, tenths == last.tenths, progress.elapsed - last.elapsed < Self.plainInterval { return }
            write("translated \(counts)\n")
            lastPlainLine = (progress.elapsed, tenths)
        }
    }

    /// Ends the bar's line, so that what follows starts on a line of its own.
    public func finish() {
        if drewBar { write("\n") }
        drewBar = false
    }
}

extension Int {
    /// The number with thousands separated by commas: 29000 → "29,000".
    var grouped: String {
        var digits = String(magnitude), groups = ""
        while digits.count > 3 {
            groups = "," + digits.suffix(3) + groups
            digits.removeLast(3)
        }
        return (self < 0 ? "-" : "") + digits + groups
    }
}

import Foundation
import TernTranslate
import TestSupport
import Testing

/// `tern batch` run as a process, as a cluster job would run it.
@Suite struct BatchCommandTests {
    /// A random model folder, a corpus file in a fresh folder, and `tern batch` on them.
    struct Job {
        let model: TemporaryDirectory
        let folder: TemporaryDirectory
        var input: String { folder.file("in.en") }

        init() throws {
            model = try BatchFixture.model()
            folder = try TemporaryDirectory()
            try BatchFixture.corpus.write(to: URL(fileURLWithPath: input))
        }

        /// Runs `tern batch` on the corpus, writing `output` in the job's folder.
        func batch(_ output: String, _ arguments: [String] = []) throws -> ProcessRunner.Result {
            try ProcessRunner.tern(["batch", "--model", model.path, "--max-length", "8", "--input", input, "--output", folder.file(output)]
                + arguments)
        }

        /// Runs `examples/merge-shards.sh`.
        func merge(mode: ShardSpec.Mode, into output: String, _ shards: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("/bin/bash", [PackagePaths.file("examples/merge-shards.sh"), "--mode", mode.rawValue, folder.file(output)]
                + shards.map(folder.file))
        }

        func contents(_ name: String) throws -> Data {
            try Data(contentsOf: URL(fileURLWithPath: folder.file(name)))
        }

        func exists(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.file(name))
        }
    }

    @Test("every shard run as its own process, merged by examples/merge-shards.sh, equals the unsharded output",
          arguments: ShardSpec.Mode.allCases)
    func shardsMergeBack(mode: ShardSpec.Mode) throws {
        let job = try Job()
        let whole = try job.batch("whole.de")
        #expect(whole.exitCode == 0, "\(whole.errorText)")
        #expect(whole.errorText.contains("in.en:9: invalid UTF-8 replaced with U+FFFD"))
        #expect(whole.errorText.contains("summary: 40 lines translated"))
        #expect(try BatchFixture.lines(of: job.folder.file("whole.de")).count == BatchFixture.lineCount)

        let shards = (1...3).map { "out.de.shard-\($0)-of-3" }
        for (index, shard) in shards.enumerated() {
            let run = try job.batch(shard, ["--shard", "\(index + 1)/3", "--shard-mode", mode.rawValue, "--threads", "1"])
            #expect(run.exitCode == 0, "\(run.errorText)")
        }
        let merged = try job.merge(mode: mode, into: "merged.de", shards)
        #expect(merged.exitCode == 0, "\(merged.errorText)")
        #expect(try job.contents("merged.de") == job.contents("whole.de"))
    }

    @Test("merge-shards.sh refuses shards that cannot be one file's shards in order")
    func mergeRefusesMisfits() throws {
        let job = try Job()
        for (index, content) in ["a\nd\ng\n", "b\ne\n", "c\nf\n"].enumerated() {
            try content.write(toFile: job.folder.file("s\(index + 1)"), atomically: true, encoding: .utf8)
        }
        #expect(try job.merge(mode: .interleaved, into: "ok", ["s1", "s2", "s3"]).exitCode == 0)
        #expect(try String(contentsOfFile: job.folder.file("ok"), encoding: .utf8) == "a\nb\nc\nd\ne\nf\ng\n")
        let misordered = try job.merge(mode: .interleaved, into: "bad", ["s2", "s1", "s3"])
        #expect(misordered.exitCode != 0 && misordered.errorText.contains("line counts"))
        let missing = try job.merge(mode: .contiguous, into: "bad", ["s1", "nonexistent"])
        #expect(missing.exitCode != 0 && missing.errorText.contains("nonexistent"))
        #expect(!job.exists("bad"))
    }

    @Test("--resume after a stopped run keeps the finished lines, translates only the rest, and equals a full run")
    func resume() throws {
        let job = try Job()
        #expect(try job.batch("whole.de").exitCode == 0)

        let stopped = try job.batch("out.de", ["--stop-after", "13"])
        #expect(stopped.exitCode == 0, "\(stopped.errorText)")
        #expect(stopped.errorText.contains("summary: 13 lines translated"))
        #expect(stopped.errorText.contains("run again with --resume"))
        #expect(!job.exists("out.de"), "no output until the run completes")
        #expect(try BatchFixture.lines(of: job.folder.file("out.de.partial")).count == 13)
        #expect(job.exists("out.de.partial.progress"))

        // A run killed after writing lines but before recording them leaves extra bytes.
        let partial = try FileHandle(forWritingTo: URL(fileURLWithPath: job.folder.file("out.de.partial")))
        try partial.seekToEnd()
        try partial.write(contentsOf: Data("half a line of an unrecorded chu".utf8))
        try partial.close()

        let resumed = try job.batch("out.de", ["--resume"])
        #expect(resumed.exitCode == 0, "\(resumed.errorText)")
        #expect(resumed.errorText.contains("summary: 27 lines translated (shard 1/1 interleaved, 40 lines; 13 kept from an interrupted run)"))
        #expect(try job.contents("out.de") == job.contents("whole.de"))
        #expect(!job.exists("out.de.partial") && !job.exists("out.de.partial.progress"))

        let nothingToResume = try job.batch("again.de", ["--resume"])
        #expect(nothingToResume.exitCode == 0 && nothingToResume.errorText.contains("summary: 40 lines translated"))
    }

    @Test("--resume refuses the progress file of a different run, saying what differs")
    func resumeMismatch() throws {
        let job = try Job()
        #expect(try job.batch("out.de", ["--stop-after", "10"]).exitCode == 0)

        let otherOptions = try job.batch("out.de", ["--resume", "--max-length", "9"])
        #expect(otherOptions.exitCode == 1)
        #expect(otherOptions.errorText.contains("error: cannot resume: \(job.folder.file("out.de.partial.progress")) was written by a different run"))
        #expect(otherOptions.errorText.contains("maxLength: 8 → 9"))
        #expect(otherOptions.errorText.contains("without --resume to start over"))

        let otherWeights = try job.batch("out.de", ["--resume", "--compute-type", "int8"])
        #expect(otherWeights.exitCode == 1 && otherWeights.errorText.contains("computeType: none → int8"), "\(otherWeights.errorText)")

        let otherShard = try job.batch("out.de", ["--resume", "--shard", "1/2"])
        #expect(otherShard.exitCode == 1 && otherShard.errorText.contains("shard: 1/1 → 1/2"))

        try (BatchFixture.corpus + Data("one more line\n".utf8)).write(to: URL(fileURLWithPath: job.input))
        let changedInput = try job.batch("out.de", ["--resume"])
        #expect(changedInput.exitCode == 1 && changedInput.errorText.contains("inputBytes"))
        #expect(!job.exists("out.de"))

        let startOver = try job.batch("out.de")
        #expect(startOver.exitCode == 0 && startOver.errorText.contains("summary: 41 lines translated"))
    }

    @Test("invalid arguments are refused with clear messages", arguments: [
        (["--shard", "0/3"], "I in I/N counts from 1 and must be between 1 and 3"),
        (["--shard", "4/3"], "shard 4/3 does not exist"),
        (["--shard", "x"], "'x' is not a shard: write I/N"),
        (["--shard", "1/0"], "N in I/N must be at least 1"),
        (["--shard-mode", "random"], "--shard-mode"),
        (["--threads", "0"], "--threads must be at least 1"),
        (["--beam", "2", "--n-best", "2"], "--n-best must be 1"),
        (["--stop-after", "0"], "--stop-after must be at least 1"),
    ])
    func invalidArguments(arguments: [String], message: String) throws {
        let job = try Job()
        let result = try job.batch("out.de", arguments)
        #expect(result.exitCode == 64, "a usage error")
        #expect(result.errorText.contains(message), "\(result.errorText)")
        #expect(!job.exists("out.de") && !job.exists("out.de.partial"))
    }
}

import Foundation
import TernModel

/// When a run keeps copies of its parameters for checkpoint averaging: every `every` steps,
/// the latest `keep` of them. Part of the run's configuration, so a resumed run goes on keeping them.
public struct SnapshotPolicy: Codable, Sendable, Equatable {
    /// How many copies a policy keeps unless told otherwise.
    public static let defaultKeep = 10

    public var every: Int
    public var keep: Int

    public init(every: Int, keep: Int) {
        self.every = every
        self.keep = keep
    }
}

extension TrainingConfiguration {
    /// Changes the snapshot policy: an interval of 0 keeps none; a count alone changes how many
    /// the current policy keeps.
    /// - Throws: `TrainingError.invalidConfiguration` for a count without an interval, here or already set.
    public mutating func changeSnapshots(every: Int?, keep: Int?) throws {
        if let every {
            snapshots = every > 0 ? SnapshotPolicy(every: every, keep: keep ?? snapshots?.keep ?? SnapshotPolicy.defaultKeep) : nil
        } else if let keep {
            guard snapshots != nil else {
                throw TrainingError.invalidConfiguration("a snapshot count needs a snapshot interval; this run keeps no snapshots")
            }
            snapshots?.keep = keep
        }
    }
}

/// Parameter-only copies of a run's network, `snapshots/step-0001250.safetensors` in the run
/// folder (F32, model tensor names), for averaging the last few into one model as Marian and
/// fairseq do. They never affect training.
enum Snapshots {
    static let folder = "snapshots"

    /// Writes the parameters at `step` and deletes all but the newest `keep` snapshots.
    static func save(_ parameters: ParameterStore, step: Int, keep: Int, in runDirectory: String) throws {
        let directory = Checkpoint.path(runDirectory, folder)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try SafeTensorsWriter.write(parameters.tensors(), dtype: .f32, to: Checkpoint.path(directory, String(format: "step-%07d.safetensors", step)))
        for stale in try list(in: runDirectory).dropLast(keep) {
            try FileManager.default.removeItem(atPath: stale.path)
        }
    }

    /// The run's snapshots, oldest first.
    static func list(in runDirectory: String) throws -> [(step: Int, path: String)] {
        let directory = Checkpoint.path(runDirectory, folder)
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { name -> (step: Int, path: String)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"),
                  let step = Int(name.dropFirst("step-".count).dropLast(".safetensors".count)) else { return nil }
            return (step: step, path: Checkpoint.path(directory, name))
        }.sorted { $0.step < $1.step }
    }

    /// Replaces `parameters` by the element-wise mean of the newest `count` snapshots; returns
    /// their steps.
    /// - Throws: `TrainingError.missingFile` when the run has fewer snapshots, `ModelError` when one
    ///   does not fit the network.
    static func average(last count: Int, into parameters: ParameterStore, from runDirectory: String) throws -> [Int] {
        let chosen = try list(in: runDirectory).suffix(count)
        guard count > 0, chosen.count == count else {
            throw TrainingError.missingFile(Checkpoint.path(Checkpoint.path(runDirectory, folder), "the newest \(count) snapshots (found \(chosen.count))"))
        }
        var sum = [Double](repeating: 0, count: parameters.count)
        for snapshot in chosen {
            let file = try SafeTensorsFile(path: snapshot.path)
            for entry in parameters.entries {
                for (index, value) in try file.floats(entry.name, shape: entry.shape).enumerated() {
                    sum[entry.offset + index] += Double(value)
                }
            }
        }
        for index in sum.indices {
            parameters.values[index] = Float(sum[index] / Double(count))
        }
        return chosen.map(\.step)
    }
}

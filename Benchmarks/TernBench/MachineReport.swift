import ArgumentParser
import TernTensor

/// The machine line every benchmark prints: processor, cores, vector extensions, Tern's kernel and
/// OpenBLAS's core.
struct MachineReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "machine",
        abstract: "Print the processor, its vector extensions, Tern's matrix-product kernel and OpenBLAS's core."
    )

    func run() throws {
        print(ProcessorDescription().summary)
    }
}

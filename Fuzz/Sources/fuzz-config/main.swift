import Foundation
import FuzzSupport
import TernJSON
import TernModel

/// `config.json`: the input is the whole file. `ModelConfig.load(path:)` (which validates) may
/// refuse it, but only with a `ModelError`. A config it accepts must name an architecture, and
/// must survive a round trip through Tern's own JSON writer unchanged.
let path = FuzzSupport.scratch + "/config.json"
let copyPath = FuzzSupport.scratch + "/config-rewritten.json"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSupport.write(UnsafeBufferPointer(start: data, count: size), to: path)
    let config: ModelConfig
    do {
        config = try ModelConfig.load(path: path)
    } catch {
        FuzzSupport.note("refused: \(error.localizedDescription)")
        FuzzSupport.check(error is ModelError, "ModelConfig.load threw a \(type(of: error)), not a ModelError: \(error)")
        _ = error.localizedDescription
        return 0
    }
    FuzzSupport.note("loaded \(config.architectures) d_model \(config.dModel)")
    do {
        try config.validate(path: path)
        _ = try config.architecture(path: path)
        let rewritten = try SnakeCaseJSON.encoder().encode(config)
        FuzzSupport.write(rewritten, to: copyPath)
        let reread = try ModelConfig.load(path: copyPath)
        FuzzSupport.check(reread == config, "config changed through a write and read:\n\(config)\n\(reread)")
    } catch {
        FuzzSupport.check(false, "an accepted config failed afterwards: \(error)")
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)

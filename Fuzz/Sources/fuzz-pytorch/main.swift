import Foundation
import FuzzSupport
import TernModel

/// `PyTorchCheckpointFile`: the input is the whole `pytorch_model.bin` (a zip archive with a
/// pickle). Opens it, then reads every tensor the pickle names with the shape it claims (and once
/// with a shape it does not claim). Anything may be refused, but only with a `ModelError`; what
/// is returned must match the shape: one finite value per element.
let path = FuzzSupport.scratch + "/pytorch_model.bin"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSupport.write(UnsafeBufferPointer(start: data, count: size), to: path)
    let file: PyTorchCheckpointFile
    do {
        file = try PyTorchCheckpointFile(path: path)
    } catch {
        FuzzSupport.note("refused: \(error.localizedDescription)")
        FuzzSupport.check(error is ModelError, "PyTorchCheckpointFile threw a \(type(of: error)), not a ModelError: \(error)")
        return 0
    }
    for name in file.tensors.keys.sorted() {
        let shape = file.tensors[name]!.shape
        do {
            let values = try file.floats(name, shape: shape)
            FuzzSupport.check(values.count == shape.reduce(1, *), "tensor \(name): \(values.count) values for shape \(shape)")
            FuzzSupport.check(values.allSatisfy(\.isFinite), "tensor \(name): a value is not finite")
            FuzzSupport.note("read \(name) \(shape)")
        } catch {
            FuzzSupport.note("refused \(name): \(error.localizedDescription)")
            FuzzSupport.check(error is ModelError, "floats(\(name)) threw a \(type(of: error)), not a ModelError: \(error)")
        }
        do {
            _ = try file.floats(name, shape: shape + [1, 1])
            FuzzSupport.check(false, "tensor \(name): read with shape \(shape + [1, 1]), not its own \(shape)")
        } catch {
            FuzzSupport.check(error is ModelError, "floats(\(name)) threw a \(type(of: error)), not a ModelError: \(error)")
        }
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)

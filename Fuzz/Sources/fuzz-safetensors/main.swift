import Foundation
import FuzzSupport
import TernModel

/// `SafeTensorsFile`: the input is the whole file. Opens it, then reads every tensor the header
/// names with the shape the header claims (and once with a shape it does not claim). Anything
/// may be refused, but only with a `ModelError`; what is returned must match the header: one
/// finite value per element.
let path = FuzzSupport.scratch + "/model.safetensors"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSupport.write(UnsafeBufferPointer(start: data, count: size), to: path)
    let file: SafeTensorsFile
    do {
        file = try SafeTensorsFile(path: path)
    } catch {
        FuzzSupport.note("refused: \(error.localizedDescription)")
        FuzzSupport.check(error is ModelError, "SafeTensorsFile threw a \(type(of: error)), not a ModelError: \(error)")
        _ = error.localizedDescription
        return 0
    }
    for name in file.tensors.keys.sorted() {
        let info = file.tensors[name]!
        FuzzSupport.check(info.dataRange.lowerBound >= 0 && info.dataRange.upperBound <= size,
                          "tensor \(name): data range \(info.dataRange) outside a \(size)-byte file")
        do {
            let values = try file.floats(name, shape: info.shape)
            FuzzSupport.check(info.shape.allSatisfy { $0 >= 0 } || values.isEmpty,
                              "tensor \(name): \(values.count) values read for the negative shape \(info.shape)")
            var product = 1
            var overflow = false
            for dimension in info.shape {
                let (next, didOverflow) = product.multipliedReportingOverflow(by: dimension)
                product = next
                overflow = overflow || didOverflow
            }
            FuzzSupport.check(!overflow && values.count == product,
                              "tensor \(name): \(values.count) values for shape \(info.shape)")
            FuzzSupport.check(values.allSatisfy(\.isFinite), "tensor \(name): a value is not finite")
            FuzzSupport.note("read \(name) \(info.dtype) \(info.shape)")
        } catch {
            FuzzSupport.note("refused \(name): \(error.localizedDescription)")
            FuzzSupport.check(error is ModelError, "floats(\(name)) threw a \(type(of: error)), not a ModelError: \(error)")
            _ = error.localizedDescription
        }
        do {
            _ = try file.floats(name, shape: info.shape + [1, 1])
            FuzzSupport.check(false, "tensor \(name): read with shape \(info.shape + [1, 1]), not its own \(info.shape)")
        } catch {
            FuzzSupport.check(error is ModelError, "floats(\(name)) threw a \(type(of: error)), not a ModelError: \(error)")
        }
    }
    return 0
}

FuzzSupport.runLibFuzzer(fuzz)

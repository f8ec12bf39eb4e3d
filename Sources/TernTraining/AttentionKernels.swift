import Foundation
import TernModel
import TernTensor

/// Multi-head scaled dot-product attention for training, forward and backward, over `B`
/// sequences: queries `[B·Lq, D]`, keys and values `[B·Lk, D]`, heads `H` of width `Dh`.
/// Sequences run in parallel on all cores.
struct AttentionKernels: Sendable {
    let batch: Int
    let queryLength: Int
    let keyLength: Int
    let heads: Int
    let headWidth: Int
    /// Which keys each query sees.
    let mask: AttentionMask
    /// Real (unpadded) key count of each sequence, `[B]`.
    let keyLengths: [Int]

    var width: Int { heads * headWidth }
    /// Floats needed to keep the attention probabilities, `[B, H, Lq, Lk]`.
    var probabilityCount: Int { batch * heads * queryLength * keyLength }

    private func visible(_ sequence: Int, _ query: Int) -> Int {
        max(1, mask.visibleKeys(sequence: sequence, query: query, length: keyLengths[sequence]))
    }

    /// `context = softmax(q·kᵀ/√Dh) · v`; saves the probabilities.
    func forward(query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>,
                 probabilities p: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(headWidth).squareRoot()
        let (width, heads, headWidth, queryLength, keyLength) = (self.width, self.heads, self.headWidth, self.queryLength, self.keyLength)
        let q = UnsafeSendable(q), k = UnsafeSendable(k), v = UnsafeSendable(v)
        let p = UnsafeSendable(p), context = UnsafeSendable(context)
        DispatchQueue.concurrentPerform(iterations: batch) { sequence in
            for head in 0..<heads {
                for i in 0..<queryLength {
                    let n = visible(sequence, i)
                    let query = q.pointer + (sequence * queryLength + i) * width + head * headWidth
                    let row = p.pointer + ((sequence * heads + head) * queryLength + i) * keyLength
                    for j in 0..<n {
                        let key = k.pointer + (sequence * keyLength + j) * width + head * headWidth
                        row[j] = Kernels.dot(query, key, count: headWidth) * scale
                    }
                    Kernels.softmax(row, count: n)
                    for j in n..<keyLength { row[j] = 0 }
                    let output = context.pointer + (sequence * queryLength + i) * width + head * headWidth
                    for d in 0..<headWidth { output[d] = 0 }
                    for j in 0..<n {
                        let value = v.pointer + (sequence * keyLength + j) * width + head * headWidth
                        let weight = row[j]
                        for d in 0..<headWidth { output[d] += weight * value[d] }
                    }
                }
            }
        }
    }

    /// Given `dContext`, writes `dq`, `dk` and `dv` (all overwritten).
    func backward(contextGradient dc: UnsafePointer<Float>, query q: UnsafePointer<Float>, key k: UnsafePointer<Float>,
                  value v: UnsafePointer<Float>, probabilities p: UnsafePointer<Float>,
                  queryGradient dq: UnsafeMutablePointer<Float>, keyGradient dk: UnsafeMutablePointer<Float>,
                  valueGradient dv: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(headWidth).squareRoot()
        let (width, heads, headWidth, queryLength, keyLength) = (self.width, self.heads, self.headWidth, self.queryLength, self.keyLength)
        let dc = UnsafeSendable(dc), q = UnsafeSendable(q), k = UnsafeSendable(k), v = UnsafeSendable(v), p = UnsafeSendable(p)
        let dq = UnsafeSendable(dq), dk = UnsafeSendable(dk), dv = UnsafeSendable(dv)
        DispatchQueue.concurrentPerform(iterations: batch) { sequence in
            (dq.pointer + sequence * queryLength * width).update(repeating: 0, count: queryLength * width)
            (dk.pointer + sequence * keyLength * width).update(repeating: 0, count: keyLength * width)
            (dv.pointer + sequence * keyLength * width).update(repeating: 0, count: keyLength * width)
            var scoreGradient = [Float](repeating: 0, count: keyLength)
            for head in 0..<heads {
                for i in 0..<queryLength {
                    let n = visible(sequence, i)
                    let offset = (sequence * queryLength + i) * width + head * headWidth
                    let gradient = dc.pointer + offset, query = q.pointer + offset, queryGradient = dq.pointer + offset
                    let row = p.pointer + ((sequence * heads + head) * queryLength + i) * keyLength
                    var weighted: Float = 0
                    for j in 0..<n {
                        let keyOffset = (sequence * keyLength + j) * width + head * headWidth
                        let value = v.pointer + keyOffset, valueGradient = dv.pointer + keyOffset
                        let dot = Kernels.dot(gradient, value, count: headWidth)
                        let weight = row[j]
                        for d in 0..<headWidth { valueGradient[d] += weight * gradient[d] }
                        scoreGradient[j] = dot
                        weighted += weight * dot
                    }
                    for j in 0..<n {
                        let ds = row[j] * (scoreGradient[j] - weighted) * scale
                        let keyOffset = (sequence * keyLength + j) * width + head * headWidth
                        let key = k.pointer + keyOffset, keyGradient = dk.pointer + keyOffset
                        for d in 0..<headWidth {
                            queryGradient[d] += ds * key[d]
                            keyGradient[d] += ds * query[d]
                        }
                    }
                }
            }
        }
    }
}

/// Lets a raw pointer cross into `concurrentPerform`, where each iteration touches its own
/// disjoint rows.
struct UnsafeSendable<Pointee>: @unchecked Sendable {
    let pointer: Pointee
    init(_ pointer: Pointee) { self.pointer = pointer }
}

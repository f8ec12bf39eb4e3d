/// A token embedding table with Marian's scaling and sinusoidal positions.
public struct Embedding: Sendable {
    /// `[V, D]`, packed: the tied output layer multiplies by the same values (`Linear(weights:)`),
    /// so the model holds them once.
    public let table: PackedWeights
    /// `√D` when the model scales embeddings (`scale_embedding`), else 1.
    public let scale: Float
    /// `[maxPositions, D]`.
    public let positions: Matrix

    public init(table: PackedWeights, scaled: Bool, maxPositions: Int) {
        self.table = table
        scale = scaled ? Float(table.columns).squareRoot() : 1
        positions = SinusoidalPositions.table(positions: maxPositions, width: table.columns)
    }

    public var width: Int { table.columns }
    public var vocabularySize: Int { table.rows }

    /// Writes `table[token] · scale + positions[position]` into row `row` of `output` `[M, D]` (an
    /// int8 table's row dequantized first).
    /// Tokens outside the table embed as zero, so corrupt input cannot trap.
    public func embed(token: Int32, position: Int, into output: inout Matrix, row: Int) {
        let width = self.width
        let positionBase = min(position, positions.rows - 1) * width
        output.values.withUnsafeMutableBufferPointer { out in
            let destination = out.baseAddress! + row * width
            if token >= 0 && Int(token) < table.rows {
                table.copyRow(Int(token), to: destination)
                for column in 0..<width { destination[column] *= scale }
            } else {
                destination.update(repeating: 0, count: width)
            }
            positions.values.withUnsafeBufferPointer { sinusoids in
                for column in 0..<width { destination[column] += sinusoids[positionBase + column] }
            }
        }
    }
}

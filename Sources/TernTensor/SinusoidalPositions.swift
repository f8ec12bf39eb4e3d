import Foundation

/// Marian's sinusoidal position embeddings, in Hugging Face's `[sin | cos]` layout: for
/// position `p` and `j < D/2`, column `j` holds `sin(p / 10000^(2j/D))` and column `D/2 + j`
/// holds `cos(p / 10000^(2j/D))` (not interleaved).
public enum SinusoidalPositions {
    /// The table `[positions, width]`.
    public static func table(positions: Int, width: Int) -> Matrix {
        var table = Matrix(rows: positions, columns: width)
        let sineColumns = (width + 1) / 2
        for position in 0..<positions {
            for column in 0..<width {
                let isSine = column < sineColumns
                let pair = isSine ? column : column - sineColumns
                // HF computes the angle in float64 from the pair's even index, then stores float32.
                let angle = Double(position) / pow(10000, Double(2 * pair) / Double(width))
                table.values[position * width + column] = Float(isSine ? sin(angle) : cos(angle))
            }
        }
        return table
    }
}

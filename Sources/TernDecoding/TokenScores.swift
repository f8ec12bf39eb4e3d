import TernTensor

/// The next-token scores of every live row, as a search reads them: the output layer's logits
/// `[R, V]`, each row's largest logit and its log-normalizer `log Σ_v exp(logits[r, v])`, so
/// that `log P(v | row r) = logits[r, v] − logNormalizers[r]`. A search computes that for the
/// tokens it looks at, instead of every row being rewritten as log-probabilities first.
public struct TokenScores {
    /// `[R, V]`.
    public private(set) var logits: Matrix
    /// The largest logit of each row, `[R]`.
    public private(set) var maxima: [Float]
    /// `log Σ_v exp(logits[r, v])` of each row, `[R]`.
    public private(set) var logNormalizers: [Float]

    /// No rows yet, `V` columns.
    public init(vocabularySize: Int) {
        logits = Matrix(rows: 0, columns: vocabularySize)
        maxima = []
        logNormalizers = []
    }

    /// Rows that already hold log-probabilities (their normalizers are taken as 0).
    public init(logProbabilities: Matrix) {
        logits = logProbabilities
        maxima = Self.rowMaxima(logProbabilities)
        logNormalizers = [Float](repeating: 0, count: logProbabilities.rows)
    }

    public var rows: Int { logits.rows }
    public var vocabularySize: Int { logits.columns }

    /// Lends this buffer of logits to `matrix`, for a scorer to write the next step's logits
    /// into, taking `matrix`'s buffer in exchange (swapped, not copied); these scores have no rows
    /// until `replace(with:)`. A scorer that lends before every step and replaces after it keeps
    /// one `[R, V]` buffer, not two.
    public mutating func lendLogits(to matrix: inout Matrix) {
        swap(&logits, &matrix)
        logits.resize(rows: 0)
        maxima = []
        logNormalizers = []
    }

    /// Takes `newLogits` `[R, V]` as the scores of the next step, handing back the previous
    /// buffer in its place (swapped, not copied), and computes each row's maximum and normalizer.
    public mutating func replace(with newLogits: inout Matrix) {
        swap(&logits, &newLogits)
        maxima = Self.rowMaxima(logits)
        let columns = logits.columns
        logNormalizers = logits.values.withUnsafeBufferPointer { values in
            maxima.indices.map { VectorExp.logSumOfExponentials(values.baseAddress! + $0 * columns, count: columns, maximum: maxima[$0]) }
        }
    }

    /// `log P(token | row)`.
    @inline(__always)
    public func logProbability(row: Int, token: Int) -> Float {
        logits.values[row * logits.columns + token] - logNormalizers[row]
    }

    /// Every token's log-probability for `row`, `[V]`.
    public func logProbabilities(row: Int) -> [Float] {
        logits.row(row).map { $0 - logNormalizers[row] }
    }

    private static func rowMaxima(_ matrix: Matrix) -> [Float] {
        matrix.values.withUnsafeBufferPointer { values in
            (0..<matrix.rows).map { VectorExp.maximum(values.baseAddress! + $0 * matrix.columns, count: matrix.columns) }
        }
    }
}

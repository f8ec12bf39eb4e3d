import TernTensor

/// Scratch matrices reused by every layer and every step of one forward pass or decoding
/// session, so that decoding does not allocate per step once they have reached full size.
final class Workspace {
    var hidden: Matrix
    var query: Matrix
    var key: Matrix
    var value: Matrix
    var context: Matrix
    var projected: Matrix
    var expanded: Matrix
    var logits: Matrix
    var scores: [Float] = []

    init(width: Int, feedForwardWidth: Int, vocabularySize: Int) {
        hidden = Matrix(rows: 0, columns: width)
        query = Matrix(rows: 0, columns: width)
        key = Matrix(rows: 0, columns: width)
        value = Matrix(rows: 0, columns: width)
        context = Matrix(rows: 0, columns: width)
        projected = Matrix(rows: 0, columns: width)
        expanded = Matrix(rows: 0, columns: feedForwardWidth)
        logits = Matrix(rows: 0, columns: vocabularySize)
    }

    /// Makes `scores` hold at least `count` floats.
    /// Drops the activation buffers (`hidden` … `expanded`, `scores`), which an encoder pass or a
    /// prefill sized for every source position, so that the memory goes to what comes next (the
    /// cross-attention cache, the decoding steps' few rows) instead of lying idle while the batch
    /// decodes. `logits` is not touched: it is the search's buffer, lent for each step
    /// (`ScorerRows.scoreStep`).
    func releaseActivations() {
        for matrix in [\Workspace.hidden, \.query, \.key, \.value, \.context, \.projected, \.expanded] {
            self[keyPath: matrix] = Matrix(rows: 0, columns: self[keyPath: matrix].columns)
        }
        scores = []
    }

    func reserveScores(_ count: Int) {
        if scores.count < count { scores = [Float](repeating: 0, count: count) }
    }
}

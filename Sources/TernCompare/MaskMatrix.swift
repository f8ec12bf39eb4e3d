import TernModel

/// An attention mask written out as a matrix for drawing: `visible[query][key]` is true when
/// query position `query` may attend to key position `key`.
public struct MaskMatrix: Sendable, Equatable {
    /// One label per query position (row): its token.
    public var rowLabels: [String]
    /// One label per key position (column): its token.
    public var columnLabels: [String]
    public var visible: [[Bool]]

    public init(rowLabels: [String], columnLabels: [String], visible: [[Bool]]) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.visible = visible
    }

    /// Self-attention over one sequence of `tokens`, straight from `AttentionMask.visibleKeys`:
    /// `.causal` is lower-triangular; `.prefix` is a full block over the prefix (source and
    /// separator) and lower-triangular after it.
    public static func selfAttention(_ mask: AttentionMask, tokens: [String]) -> MaskMatrix {
        let length = tokens.count
        let visible = (0..<length).map { query in
            let count = mask.visibleKeys(sequence: 0, query: query, length: length)
            return (0..<length).map { $0 < count }
        }
        return MaskMatrix(rowLabels: tokens, columnLabels: tokens, visible: visible)
    }

    /// Encoder-decoder cross-attention: every decoder position sees every source position.
    public static func crossAttention(queries: [String], keys: [String]) -> MaskMatrix {
        MaskMatrix(rowLabels: queries, columnLabels: keys, visible: queries.map { _ in keys.map { _ in true } })
    }
}

/// Shape legend used in doc comments throughout Tern:
///
/// | letter | meaning |
/// |---|---|
/// | `B` | sentences in a batch |
/// | `R` | decoding rows (sentences × beams still alive) |
/// | `S` | source positions |
/// | `T` | target positions |
/// | `D` | model width (`d_model`) |
/// | `F` | feed-forward width |
/// | `H` | attention heads; `Dh = D / H` per head |
/// | `V` | vocabulary size |
///
/// All tensors are dense, row-major `Float` buffers.

/// A dense row-major `[rows, columns]` matrix of `Float`.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public let columns: Int
    public var values: [Float]

    /// A zero matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        values = [Float](repeating: 0, count: rows * columns)
    }

    /// Wraps `values`, which must hold `rows * columns` elements.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix values do not match its shape")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Row `index` as a slice of `values`.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// Changes the number of rows, keeping the first rows' values and zero-filling new ones.
    /// Storage only ever grows, so a buffer reused across decoding steps stops allocating once
    /// it has reached its largest size.
    public mutating func resize(rows newRows: Int) {
        let needed = newRows * columns
        if values.count < needed {
            values.append(contentsOf: [Float](repeating: 0, count: needed - values.count))  // a memset and a copy; a repeated element appends one at a time
        }
        rows = newRows
    }

    /// The number of live elements, `rows * columns` (storage may hold more).
    public var count: Int { rows * columns }
}

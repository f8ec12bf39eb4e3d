/// Percentiles of a sample, with linear interpolation between the two nearest ranks (NumPy's
/// default, `method="linear"`): the p-th percentile of sorted `x[0..<n]` is
/// `x[k] + (x[k+1] − x[k]) · f` where `k + f = p/100 · (n − 1)`.
public enum Percentile {
    /// The `p`-th percentile (0…100) of `values`; nil when there are none.
    public static func of(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = min(max(p, 0), 100) / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

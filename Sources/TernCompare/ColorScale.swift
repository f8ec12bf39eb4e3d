import Foundation

/// The viridis colour map (perceptually uniform, readable in grey and by most colour-blind
/// readers), sampled at nine stops and interpolated linearly in RGB.
public enum ColorScale {
    public static let stops: [(Double, (Int, Int, Int))] = [
        (0.0, (0x44, 0x01, 0x54)), (0.125, (0x47, 0x2D, 0x7B)), (0.25, (0x3B, 0x52, 0x8B)),
        (0.375, (0x2C, 0x72, 0x8E)), (0.5, (0x21, 0x91, 0x8C)), (0.625, (0x28, 0xAE, 0x80)),
        (0.75, (0x5E, 0xC9, 0x62)), (0.875, (0xAD, 0xDC, 0x30)), (1.0, (0xFD, 0xE7, 0x25)),
    ]

    /// The colour of `t` in 0…1 (clamped), as `#rrggbb`.
    public static func color(_ t: Double) -> String {
        let t = t.isFinite ? min(max(t, 0), 1) : 0
        let upper = stops.firstIndex { $0.0 >= t } ?? stops.count - 1
        let lower = max(0, upper - 1)
        let (t0, c0) = stops[lower], (t1, c1) = stops[upper]
        let f = t1 > t0 ? (t - t0) / (t1 - t0) : 0
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2))
    }
}

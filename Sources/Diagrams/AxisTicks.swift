import Foundation

/// Tick marks for a chart axis at "nice" numbers: steps of 1, 2 or 5 × 10ⁿ, so labels read
/// 0, 200, 400 … or 2.5, 3, 3.5 … rather than 0.37, 1.74, 3.11.
///
///     let ticks = AxisTicks(from: 0.3, to: 9.7)
///     ticks.values          // [2, 4, 6, 8]
///     ticks.labels          // ["2", "4", "6", "8"]
///
/// Introduced in Chapter 1 (Foundation).
public struct AxisTicks: Equatable, Sendable {
    /// The tick positions, in the axis's own units, inside the range asked for.
    public let values: [Double]
    /// The distance between neighbouring ticks (linear axes; the smallest gap on log axes).
    public let step: Double
    /// The text under or beside each tick.
    public let labels: [String]

    /// Ticks inside `lower…upper`, about `approximateCount` of them (never fewer than two
    /// for a non-empty range). Non-finite or reversed bounds give no ticks.
    public init(from lower: Double, to upper: Double, approximateCount: Int = 6) {
        guard lower.isFinite, upper.isFinite, upper >= lower else {
            values = []; step = 1; labels = []; return
        }
        if upper == lower {
            step = AxisTicks.niceStep(max(abs(lower), 1) / 10)
            values = [lower]
            labels = [AxisTicks.format(lower, step: step)]
            return
        }
        var chosenStep = AxisTicks.niceStep((upper - lower) / Double(max(1, approximateCount)))
        var chosen = AxisTicks.multiples(of: chosenStep, from: lower, to: upper)
        if chosen.count < 2 {
            chosenStep = AxisTicks.niceStep((upper - lower) / 2.5)
            chosen = AxisTicks.multiples(of: chosenStep, from: lower, to: upper)
        }
        step = chosenStep
        values = chosen
        labels = chosen.map { AxisTicks.format($0, step: chosenStep) }
    }

    /// Ticks for a logarithmic axis over `lower…upper` (both > 0): powers of ten, with 2× and
    /// 5× between them when the range spans few decades, and plain nice ticks when it spans
    /// less than one.
    public static func logarithmic(from lower: Double, to upper: Double) -> AxisTicks {
        guard lower > 0, upper >= lower, lower.isFinite, upper.isFinite else {
            return AxisTicks(from: .nan, to: .nan)
        }
        let firstDecade = Int(floor(log10(lower))), lastDecade = Int(ceil(log10(upper)))
        let decades = lastDecade - firstDecade
        let multipliers: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        let stride = max(1, decades / 8)
        var chosen: [Double] = []
        for decade in firstDecade...lastDecade where (decade - firstDecade) % stride == 0 {
            for multiplier in multipliers {
                let value = multiplier * pow(10, Double(decade))
                if value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) { chosen.append(value) }
            }
        }
        if chosen.count < 2 { return AxisTicks(from: lower, to: upper, approximateCount: 4) }
        return AxisTicks(values: chosen, step: chosen[0], labels: chosen.map { format($0, step: $0) })
    }

    private init(values: [Double], step: Double, labels: [String]) {
        self.values = values; self.step = step; self.labels = labels
    }

    /// The 1-2-5 step nearest above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(rough)))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// The multiples of `step` within `lower…upper`, computed as index × step so that no
    /// rounding error accumulates (0.1 × 3 stays 0.3 in the label).
    static func multiples(of step: Double, from lower: Double, to upper: Double) -> [Double] {
        let tolerance = step * 1e-9
        let first = Int(ceil((lower - tolerance) / step)), last = Int(floor((upper + tolerance) / step))
        guard last >= first, last - first <= 1000 else { return [] }
        return (first...last).map { Double($0) * step + 0.0 }
    }

    /// `value` with as many decimals as `step` needs; exponent notation for very large or
    /// very small magnitudes.
    static func format(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return "" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 {
            return String(format: "%g", value)
        }
        let decimals = max(0, min(10, Int(-floor(log10(step) + 1e-9))))
        var text = String(format: "%.\(decimals)f", value + 0.0)
        // 0.2, 0.4, …, 1 rather than 1.0: trailing zeros say nothing.
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

import Foundation

/// "6.148 ± 0.021": a mean over seeds and its sample standard deviation, or the value alone
/// for one seed — the way every chapter reports a number measured with several seeds.
///
///     meanAndSpread([6.1, 6.2, 6.15])   // "6.150 ± 0.050"
///
/// Introduced in Chapter 3.
public func meanAndSpread(_ values: [Double], decimals: Int = 3) -> String {
    guard !values.isEmpty else { return "—" }
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return String(format: "%.\(decimals)f", mean) }
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    return String(format: "%.\(decimals)f ± %.\(decimals)f", mean, variance.squareRoot())
}

/// A difference with its sign always written, "+0.002" or "−0.023" (with the spread over seeds
/// when there are several): for sentences such as "TUPE-A − BERT-A: −0.230 nats", which read
/// right whichever way the result falls.
public func signedDifference(_ values: [Double], decimals: Int = 3) -> String {
    let text = meanAndSpread(values, decimals: decimals)
    if values.isEmpty { return text }
    return text.hasPrefix("-") ? "−" + text.dropFirst() : "+" + text
}

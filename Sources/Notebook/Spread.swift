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
    return String(format: "%.\(decimals)f ± %.\(decimals)f", mean, sampleStandardDeviation(values))
}

/// The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
/// Introduced in Chapter 3.
public func sampleStandardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
}

/// A difference with its sign always written, "+0.002" or "−0.023" (with the spread over seeds
/// when there are several): for sentences such as "TUPE-A − BERT-A: −0.230 nats", which read
/// right whichever way the result falls.
public func signedDifference(_ values: [Double], decimals: Int = 3) -> String {
    let text = meanAndSpread(values, decimals: decimals)
    if values.isEmpty { return text }
    return text.hasPrefix("-") ? "−" + text.dropFirst() : "+" + text
}

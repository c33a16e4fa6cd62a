/// Pearson's correlation coefficient of two equally long lists of numbers:
///
///     r = Σᵢ (xᵢ − x̄)(yᵢ − ȳ) / √(Σᵢ (xᵢ − x̄)² · Σᵢ (yᵢ − ȳ)²)
///
///     pearsonCorrelation([1, 2, 3, 4], [2, 4, 6, 8.5])   // ≈ 0.9984: almost a straight line
///
/// 1 when y grows as a straight line in x, −1 when it falls as one, 0 when there is no linear
/// relation. Half of STS-B's score. The means are subtracted before the products are summed
/// (two passes), which keeps the sums accurate when the values are large and close together.
///
/// When either list does not vary (all its values equal) the coefficient is undefined (0/0);
/// this returns 0 there — where SciPy's `pearsonr` returns NaN with a warning — so that a
/// model that predicts one constant score scores 0, as a constant classifier does under MCC.
///
/// - Parameters:
///   - x: N finite numbers (predictions).
///   - y: N finite numbers (gold scores), in the same order.
/// - Returns: a number from −1 to 1; 0 for fewer than two values or no variation.
/// - Precondition: `x.count == y.count`.
/// Introduced in Chapter 3.
public func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "pearsonCorrelation: \(x.count) values against \(y.count)")
    guard x.count > 1 else { return 0 }
    let n = Double(x.count)
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var products = 0.0
    var squaresX = 0.0
    var squaresY = 0.0
    for (a, b) in zip(x, y) {
        let dx = a - meanX
        let dy = b - meanY
        products += dx * dy
        squaresX += dx * dx
        squaresY += dy * dy
    }
    guard squaresX > 0 && squaresY > 0 else { return 0 }
    // Rounding can push |r| a hair above 1 for perfectly linear data.
    return min(1, max(-1, products / (squaresX * squaresY).squareRoot()))
}

/// Spearman's rank correlation: Pearson's correlation of the ranks of x with the ranks of y,
/// tied values sharing the average of the ranks they span (see `averageRanks`).
///
///     ρ = pearsonCorrelation(averageRanks(x), averageRanks(y))
///
///     spearmanCorrelation([1, 2, 3, 4], [1, 4, 9, 16])   // 1: y grows whenever x does
///
/// 1 when y always grows with x (in a straight line or not), −1 when it always falls. Half of
/// STS-B's score; like SciPy's `spearmanr`. When either list does not vary the result is 0
/// (see `pearsonCorrelation`).
///
/// - Parameters:
///   - x: N finite numbers (predictions).
///   - y: N finite numbers (gold scores), in the same order.
/// - Returns: a number from −1 to 1.
/// - Precondition: `x.count == y.count`; every value finite.
/// Introduced in Chapter 3.
public func spearmanCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "spearmanCorrelation: \(x.count) values against \(y.count)")
    return pearsonCorrelation(averageRanks(x), averageRanks(y))
}

/// The rank of each value, from 1 for the smallest, where equal values share the mean of the
/// ranks they occupy:
///
///     averageRanks([10, 20, 20, 30])   // [1, 2.5, 2.5, 4]: the two 20s span ranks 2 and 3
///
/// SciPy's `rankdata(method="average")`.
///
/// - Parameter values: N finite numbers.
/// - Returns: N ranks, in the order of `values`.
/// - Precondition: every value is finite (NaN has no place in an order).
/// Introduced in Chapter 3.
public func averageRanks(_ values: [Double]) -> [Double] {
    precondition(values.allSatisfy(\.isFinite), "averageRanks: a value is NaN or infinite")
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
        // Positions start..<end hold ranks start+1 … end; their mean is (start+1+end)/2.
        let rank = Double(start + 1 + end) / 2
        for position in start..<end { ranks[order[position]] = rank }
        start = end
    }
    return ranks
}

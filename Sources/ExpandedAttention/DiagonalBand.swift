extension TermSummary {
    /// How much the average map favours nearby positions: per head and query row i, the mean
    /// of the row-centred map over the band |i − j| ≤ `width` minus its mean outside the band,
    /// averaged over rows and heads and divided by the map's row-centred RMS. Above 0 the band
    /// is brighter than the rest of its rows (TUPE's Figure 2 shows such a band in BERT's
    /// position → position term); about 0, no band. Rows and entries that are NaN (positions
    /// no sequence reached) are skipped.
    ///
    ///     summaries[3].diagonalContrast(heads: A, length: T)    // e.g. 0.8: a visible band
    ///
    /// Introduced in Chapter 2.
    public func diagonalContrast(heads A: Int, length T: Int, width: Int = 2) -> Double {
        var total = 0.0, rows = 0
        var squares = 0.0, entries = 0
        for h in 0..<A {
            for i in 0..<T {
                let row = (0..<T).map { Double(meanMap[(h * T + i) * T + $0]) }
                let valid = row.indices.filter { !row[$0].isNaN }
                guard valid.count > 2 * width + 1 else { continue }
                let mean = valid.map { row[$0] }.reduce(0, +) / Double(valid.count)
                var band = 0.0, bandCount = 0, rest = 0.0, restCount = 0
                for j in valid {
                    let v = row[j] - mean
                    squares += v * v
                    entries += 1
                    if abs(i - j) <= width { band += v; bandCount += 1 } else { rest += v; restCount += 1 }
                }
                guard bandCount > 0, restCount > 0 else { continue }
                total += band / Double(bandCount) - rest / Double(restCount)
                rows += 1
            }
        }
        guard rows > 0, entries > 0, squares > 0 else { return 0 }
        return (total / Double(rows)) / (squares / Double(entries)).squareRoot()
    }
}

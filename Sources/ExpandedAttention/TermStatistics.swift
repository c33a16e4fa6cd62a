import Tensors
import Transformer

/// What one logit term looks like over many sequences: its average map and how its
/// variance splits between position and word.
/// Introduced in Chapter 2.
public struct TermSummary: Sendable {
    public var name: String
    /// The term averaged over sequences at each (head, i, j): `[A·T·T]`, row-major `[A, T, T]`;
    /// NaN where no sequence is that long.
    public var meanMap: [Float]
    /// Share of the term's variance explained by the position pair (i, j):
    /// `Σ_cells n_c (m_c − m̄)² / Σ (v − m̄)²`, per head, pooled over heads (law of total variance).
    public var positionShare: Double
    /// The rest: the variance left at fixed positions, which only the words there can cause.
    public var wordShare: Double { 1 - positionShare }
    /// `√mean(v²)`.
    public var rms: Double
    /// `√mean((v_ij − mean_j v_ij)²)`: the size after removing each query row's mean, the only
    /// part softmax over j can see.
    public var rowCentredRMS: Double
}

/// Accumulates the four terms (and the logits) of layer-1 expansions over validation batches.
///
///     var statistics = FourTermStatistics(heads: A, length: T)
///     for batch in batches { statistics.add(try expandLayerOne(model, batch.input), lengths: batch.input.lengths) }
///     let summaries = statistics.summaries          // word → word, …, position → position, logits
///
/// Only real tokens count: entries with `i` or `j` beyond a sequence's length are skipped.
/// Introduced in Chapter 2.
public struct FourTermStatistics {
    public let heads: Int, length: Int
    /// Term names: the four terms, then "logits".
    public let names = ["word → word", "word → position", "position → word", "position → position", "logits"]
    private var cellSums: [[Double]]        // per series: [A·T·T]
    private var cellCounts: [Double]        // [A·T·T]
    private var sums: [[Double]]            // per series, per head: Σ v
    private var squares: [[Double]]         // per series, per head: Σ v²
    private var rowCentredSquares: [Double] // per series
    private var count: Double = 0           // entries per head
    /// The number of sequences added.
    public private(set) var sequences = 0

    public init(heads: Int, length: Int) {
        self.heads = heads; self.length = length
        let cells = heads * length * length
        cellSums = Array(repeating: Array(repeating: 0, count: cells), count: 5)
        cellCounts = Array(repeating: 0, count: cells)
        sums = Array(repeating: Array(repeating: 0, count: heads), count: 5)
        squares = sums
        rowCentredSquares = Array(repeating: 0, count: 5)
    }

    /// Adds one batch's expansion; `lengths` are its sequences' true lengths.
    public mutating func add(_ expansion: LayerOneExpansion, lengths: [Int]) {
        let series = [expansion.terms.wordToWord, expansion.terms.wordToPosition, expansion.terms.positionToWord,
                      expansion.terms.positionToPosition, expansion.logits]
        let (A, T) = (heads, length)
        precondition(series.allSatisfy { $0.shape == [lengths.count, A, T, T] },
                     "expansion is \(series[0].shape), expected [\(lengths.count), \(A), \(T), \(T)]")
        for (b, n) in lengths.enumerated() {
            for h in 0..<A {
                for i in 0..<n {
                    for j in 0..<n { cellCounts[(h * T + i) * T + j] += 1 }
                }
            }
            count += Double(n * n)
            sequences += 1
            for (s, tensor) in series.enumerated() {
                let values = tensor.pointer
                for h in 0..<A {
                    for i in 0..<n {
                        let row = values + ((b * A + h) * T + i) * T
                        var rowSum = 0.0, rowSquares = 0.0
                        for j in 0..<n {
                            let v = Double(row[j])
                            cellSums[s][(h * T + i) * T + j] += v
                            rowSum += v; rowSquares += v * v
                        }
                        sums[s][h] += rowSum
                        squares[s][h] += rowSquares
                        rowCentredSquares[s] += rowSquares - rowSum * rowSum / Double(n)
                    }
                }
            }
        }
    }

    /// One summary per series, in the order of `names`.
    public var summaries: [TermSummary] {
        names.indices.map { s in
            var between = 0.0, total = 0.0
            for h in 0..<heads {
                let grand = sums[s][h] * sums[s][h] / max(count, 1)
                total += squares[s][h] - grand
                var explained = 0.0
                for c in (h * length * length)..<((h + 1) * length * length) where cellCounts[c] > 0 {
                    explained += cellSums[s][c] * cellSums[s][c] / cellCounts[c]
                }
                between += explained - grand
            }
            let entries = max(count * Double(heads), 1)
            let map = zip(cellSums[s], cellCounts).map { $1 > 0 ? Float($0 / $1) : .nan }
            return TermSummary(name: names[s], meanMap: map,
                               positionShare: total > 0 ? between / total : 0,
                               rms: (squares[s].reduce(0, +) / entries).squareRoot(),
                               rowCentredRMS: (max(rowCentredSquares[s], 0) / entries).squareRoot())
        }
    }

    /// The fewest sequences that cover one (i, j) cell: the position share of a term that
    /// does not depend on position at all is about 1/that (sampling noise).
    public var fewestSequencesPerCell: Int {
        Int(cellCounts.prefix(length * length).filter { $0 > 0 }.min() ?? 0)
    }
}
